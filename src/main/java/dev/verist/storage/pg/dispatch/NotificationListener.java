package dev.verist.storage.pg.dispatch;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.internal.NotifyThrottle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes the dispatcher when a store on any node notifies {@link PgSchema#OUTBOX_CHANNEL}: {@code LISTEN} on a
 * connection of its own, read in short ticks on the dispatcher's executor (each waits at most
 * {@value #WAIT_MILLIS} ms, then hands its thread back and schedules the next). A notification wakes the
 * dispatcher at once and once more a little later, for the commits a store's {@link NotifyThrottle} let pass
 * without notifying. A broken connection is opened again after a while, and the dispatcher woken then, since
 * notifications sent meanwhile are lost.
 */
final class NotificationListener {

    /** Where the listening connection comes from; closing it gives it back. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws Exception;
    }

    private static final System.Logger LOG = System.getLogger(OutboxDispatcher.class.getName());
    static final int WAIT_MILLIS = 500;
    private static final long LATER_NANOS = 4 * NotifyThrottle.INTERVAL_NANOS;
    private static final long VERIFY_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int VERIFY_TIMEOUT_SECONDS = 5;

    private final ConnectionSource connections;
    private final ScheduledExecutorService executor;
    private final Runnable wake;
    private final long reconnectNanos;
    private final AtomicBoolean wakeLaterScheduled = new AtomicBoolean();
    private volatile boolean running = true;

    // Touched by one tick at a time only.
    private Connection connection;
    private PGConnection listening;
    private long verifiedAt;
    private boolean failing;
    private volatile boolean connected;

    NotificationListener(ConnectionSource connections, ScheduledExecutorService executor, Runnable wake,
                         Duration reconnectAfter) {
        this.connections = connections;
        this.executor = executor;
        this.wake = wake;
        this.reconnectNanos = reconnectAfter.toNanos();
    }

    void start() {
        next(0);
    }

    /**
     * Ends listening within about {@value #WAIT_MILLIS} ms: waits for a running tick, then closes the connection,
     * even when the executor no longer runs the next tick (a server suspending before it undeploys).
     */
    void stop() {
        running = false;
        synchronized (this) {
            close();
        }
    }

    /** Whether a listening connection is open now. */
    boolean listening() {
        return running && connected;
    }

    /** The connection's driver classes are not the ones this library sees: no retry can mend that. */
    private static final class DriverNotVisible extends Exception {
        DriverNotVisible(Throwable cause) {
            super("The outbox listener cannot reach the PostgreSQL driver's org.postgresql.PGConnection through its"
                    + " connection: the application must see the driver the data source uses (on WildFly, add the"
                    + " module org.postgresql to jboss-deployment-structure.xml). The dispatcher polls instead;"
                    + " commits on this node still wake it.", cause);
        }
    }

    // One at a time with stop(), which closes the connection a tick may be reading.
    private synchronized void tick() {
        if (!running) {
            close();
            return;
        }
        long delay = 0;
        try {
            if (connection == null) {
                open();
                wake.run(); // what was committed while no one listened
            }
            PGNotification[] received = listening.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                wake.run();
                wakeLater();
            } else if (System.nanoTime() - verifiedAt > VERIFY_EVERY_NANOS) {
                verify();
            }
        } catch (DriverNotVisible e) {
            LOG.log(WARNING, e.getMessage(), e.getCause());
            failing = true;
            close();
            return;
        } catch (Throwable t) {
            discard();
            if (!failing) {
                failing = true;
                LOG.log(WARNING, "The outbox listener lost its connection; it opens another within the poll"
                        + " interval (5 s at most), and the poll finds due entries meanwhile", t);
            }
            delay = reconnectNanos;
        }
        next(delay);
    }

    private void open() throws Exception {
        Connection opened = connections.open();
        try {
            opened.setAutoCommit(true);
            try (Statement s = opened.createStatement()) {
                s.execute("LISTEN " + PgSchema.OUTBOX_CHANNEL);
            }
            listening = unwrap(opened);
        } catch (Exception e) {
            closeQuietly(opened);
            throw e;
        }
        connection = opened;
        connected = true;
        verifiedAt = System.nanoTime();
        if (failing) {
            failing = false;
            LOG.log(INFO, "The outbox listener is listening again");
        }
    }

    private static PGConnection unwrap(Connection opened) throws DriverNotVisible {
        try {
            return opened.unwrap(PGConnection.class);
        } catch (SQLException | LinkageError e) {
            throw new DriverNotVisible(e);
        }
    }

    // A silently dropped connection delivers nothing and reports nothing: ask it now and then.
    private void verify() throws SQLException {
        if (!connection.isValid(VERIFY_TIMEOUT_SECONDS)) {
            throw new SQLException("The listening connection is no longer valid");
        }
        verifiedAt = System.nanoTime();
    }

    private void wakeLater() {
        if (wakeLaterScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(() -> {
                    wakeLaterScheduled.set(false);
                    wake.run();
                }, LATER_NANOS, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                wakeLaterScheduled.set(false);
            }
        }
    }

    private void next(long delayNanos) {
        try {
            executor.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // The executor is shutting down: the dispatcher stops with it.
            close();
        }
    }


    private void close() {
        connected = false;
        if (connection != null) {
            try (Statement s = connection.createStatement()) {
                s.execute("UNLISTEN *"); // the connection may go back to a pool
            } catch (SQLException ignored) {
                // broken: closing discards it
            }
            closeQuietly(connection);
            connection = null;
            listening = null;
        }
    }

    // A broken connection must not go back to the pool as if it were sound: abort it (a pool drops it) first.
    private void discard() {
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (Throwable ignored) {
                // a pool that cannot abort has it closed below; it checks a connection before lending it again
            }
        }
        close();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
