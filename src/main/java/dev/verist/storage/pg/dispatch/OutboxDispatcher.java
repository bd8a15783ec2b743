package dev.verist.storage.pg.dispatch;

import static java.lang.System.Logger.Level.INFO;

import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.cdi.OutboxWritten;
import dev.verist.storage.pg.cdi.Verist;
import dev.verist.storage.pg.internal.Stores;
import dev.verist.storage.pg.health.DispatchMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.UserTransaction;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Carries out outbox commands inside the container: the {@link CommandHandler} beans of the application, each
 * entry in a JTA transaction of its own that also finalises it. It starts with the application (CDI
 * {@code Startup}) when the application produces {@link DispatcherSettings}, and stops with it
 * ({@code Shutdown}): it stops leasing, lets running handlers finish within the shutdown timeout and releases
 * the entries it has not started. Ticks run on the container's {@code ManagedScheduledExecutorService}: at every
 * poll, at once after a transaction in which the store bean made entries due ({@link OutboxWritten}), and at once
 * when a store on another node notifies that it did ({@link DispatcherSettings#notifications()}).
 */
@ApplicationScoped
public class OutboxDispatcher {

    /** The route value that takes every step or topic no other handler names. */
    public static final String ANY = "*";

    private static final System.Logger LOG = System.getLogger(OutboxDispatcher.class.getName());

    @Inject
    Instance<DispatcherSettings> settings;

    @Inject
    ContainerPgRunStore store;

    @Inject
    @Any
    Instance<CommandHandler> handlers;

    @Inject
    Instance<RequestContextController> requestContexts;

    @Inject
    @Verist
    Instance<EntityManager> veristUnit;

    @Inject
    Instance<DispatchMetrics> metrics;

    private ActiveDispatch active;

    /** For CDI. */
    protected OutboxDispatcher() {
    }

    void onStartup(@Observes Startup startup) {
        if (settings.isUnsatisfied()) {
            return; // the application has not turned the dispatcher on
        }
        start(settings.get());
    }

    // Once a transaction that made entries due has committed: look for them now, not at the next poll.
    void onOutboxWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wake();
    }

    void onShutdown(@Observes Shutdown shutdown) {
        stop();
    }

    @PreDestroy
    void destroyed() {
        stop();
    }

    /**
     * Starts dispatching with {@code settings}; a no-op when running. Startup does this when the application
     * produces settings.
     *
     * @throws IllegalStateException when a handler bean has no route or two share one, or the executor or the
     *                               {@code UserTransaction} cannot be found
     */
    public synchronized void start(DispatcherSettings settings) {
        if (active != null) {
            return;
        }
        Routes routes = Routes.of(handlers);
        ScheduledExecutorService executor = settings.executor() != null ? settings.executor()
                : lookup(settings.executorName(), ScheduledExecutorService.class);
        UserTransaction transactions = settings.userTransaction() != null ? settings.userTransaction()
                : lookup(settings.userTransactionName(), UserTransaction.class);
        active = new ActiveDispatch(settings, store, routes, executor, transactions, requestContexts,
                notificationConnections(settings, transactions), DispatchMetrics.of(metrics));
        LOG.log(INFO, "Outbox dispatcher started: {0}", settings);
    }

    /**
     * Stops dispatching: no new lease; running handlers get the shutdown timeout to finish; entries not started
     * are released. A no-op when not running.
     */
    public void stop() {
        ActiveDispatch stopping;
        synchronized (this) {
            stopping = active;
            active = null;
        }
        if (stopping == null) {
            return;
        }
        boolean ended = stopping.stop(); // outside the lock: stats() and running() answer meanwhile
        LOG.log(INFO, "Outbox dispatcher stopped{0}", ended ? "" : " (handlers still running)");
    }

    /** Whether the dispatcher is running. */
    public synchronized boolean running() {
        return active != null && active.running();
    }

    /** Whether the dispatcher is listening for other nodes' notifications now (its connection is open). */
    public synchronized boolean listening() {
        return active != null && active.listening();
    }

    /** Looks for due entries now instead of at the next poll; a no-op when every worker is busy or not running. */
    public void wake() {
        ActiveDispatch current = current();
        if (current != null) {
            current.wake();
        }
    }

    private synchronized ActiveDispatch current() {
        return active;
    }

    /** What the running dispatcher has done since it started; all zero when not running. */
    public synchronized DispatchStats stats() {
        return active != null ? active.stats() : new DispatchStats(0, 0, 0, 0, Map.of(), 0);
    }

    // Resolved at each opening, on the listener's thread: a server may not offer them before the first tick.
    private NotificationListener.ConnectionSource notificationConnections(DispatcherSettings settings,
                                                                          UserTransaction transactions) {
        if (!settings.notifications()) {
            return null;
        }
        DataSource given = settings.notificationDataSource();
        if (given != null) {
            return given::getConnection;
        }
        String name = settings.notificationDataSourceName();
        if (name != null) {
            return () -> lookup(name, DataSource.class).getConnection();
        }
        return () -> Stores.unitConnection(veristUnitFactory(transactions));
    }

    // The unit behind the store's @Verist manager, which may be transaction- or request-scoped.
    private EntityManagerFactory veristUnitFactory(UserTransaction transactions) throws Exception {
        RequestContextController requestContext = requestContexts.get();
        requestContext.activate();
        try {
            transactions.begin();
            try {
                return veristUnit.get().getEntityManagerFactory();
            } finally {
                transactions.rollback();
            }
        } finally {
            requestContext.deactivate();
            requestContexts.destroy(requestContext);
        }
    }

    private static <T> T lookup(String name, Class<T> type) {
        try {
            return type.cast(new InitialContext().lookup(name));
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("The outbox dispatcher needs a " + type.getSimpleName() + " at " + name
                    + " (set it in DispatcherSettings)", e);
        }
    }
}
