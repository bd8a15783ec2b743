package dev.verist.storage.pg;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.cdi.JtaEnvironment;
import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The store as an application in a Jakarta EE server gets it, built in Java SE: the {@link ContainerPgRunStore}
 * bean in a Weld container with Narayana's {@code @Transactional} interceptors, on a dedicated {@code verist} JTA
 * unit over an enlisting pool. Either every call runs inside a caller's {@code @Transactional} method, or the
 * bean is called with no transaction and begins its own.
 */
final class JtaWiring {

    private JtaWiring() {
    }

    static WiredStore open(boolean inCallerTransaction) throws Exception {
        return open(inCallerTransaction, "verist");
    }

    /** The bean on the JTA unit {@code unitName} of the test persistence.xml. */
    static WiredStore open(boolean inCallerTransaction, String unitName) throws Exception {
        JtaEnvironment environment = new JtaEnvironment();
        EntityManagerFactory unit = environment.unit(unitName);
        WeldContainer container = new Weld("wiring-" + environment.schema)
                .disableDiscovery()
                .addExtension(new TransactionExtension())
                .addExtension(new UnitBean(unit))
                .addBeanClasses(ContainerPgRunStore.class, VeristEntityManagers.class, CallerTransaction.class)
                .initialize();
        PgRunStore bean = container.select(PgRunStore.class).get();
        PgRunStore store = inCallerTransaction ? inCallerTransactions(bean, container.select(CallerTransaction.class).get())
                : bean;
        return new WiredStore(environment.schema, store, () -> {
            container.shutdown();
            unit.close();
            environment.close();
        });
    }

    // Every store method runs inside CallerTransaction.run, as a call from an application's @Transactional bean.
    private static PgRunStore inCallerTransactions(PgRunStore bean, CallerTransaction caller) {
        return (PgRunStore) Proxy.newProxyInstance(PgRunStore.class.getClassLoader(), new Class<?>[] {PgRunStore.class},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? method.invoke(bean, args)
                        : caller.run(() -> invoke(bean, method, args)));
    }

    private static Object invoke(PgRunStore bean, Method method, Object[] args) {
        try {
            return method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            throw unchecked(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure);
    }

    /** An application bean whose {@code @Transactional} method is the caller's transaction. */
    @ApplicationScoped
    @Transactional
    public static class CallerTransaction {

        @Inject
        TransactionSynchronizationRegistry transactions;

        /** Runs {@code work} in this method's transaction; a runtime exception rolls it back and propagates. */
        public <T> T run(Supplier<T> work) {
            // The wiring is only what it claims if the interceptor really began a transaction around the call.
            if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
                throw new IllegalStateException("no active caller transaction: " + transactions.getTransactionStatus());
            }
            return work.get();
        }
    }

    /** The application's producer of the store's entity manager, as a server's {@code @PersistenceContext} does. */
    @ApplicationScoped
    public static class VeristEntityManagers {

        @Produces
        @Verist
        @TransactionScoped
        EntityManager veristEntityManager(EntityManagerFactory unit) {
            return unit.createEntityManager();
        }

        void close(@Disposes @Verist EntityManager em) {
            em.close();
        }
    }

    /** Makes the unit's factory a bean, so the producer above needs no static state. */
    public static final class UnitBean implements Extension {
        private final EntityManagerFactory unit;

        UnitBean(EntityManagerFactory unit) {
            this.unit = unit;
        }

        void register(@Observes AfterBeanDiscovery discovery) {
            discovery.addBean().types(EntityManagerFactory.class, Object.class).scope(Dependent.class)
                    .createWith(context -> unit);
        }
    }
}
