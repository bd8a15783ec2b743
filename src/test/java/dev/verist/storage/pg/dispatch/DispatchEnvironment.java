package dev.verist.storage.pg.dispatch;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.pg.TestDatabase;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.cdi.JtaEnvironment;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeUnit;
import dev.verist.storage.pg.dispatch.scenarios.NarayanaTransactionServices;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A server's part for the dispatcher, in Java SE: {@link JtaEnvironment}'s transaction manager and enlisting pool,
 * a Weld container per dispatcher with the store bean and Narayana's transactions as Weld's, and the executor a
 * server would manage. Handlers record
 * their work in {@value #DELIVERIES}, on the JTA pool, so it commits or rolls back with the delivery.
 */
final class DispatchEnvironment implements AutoCloseable {

    static final String DELIVERIES = "dispatch_delivery";

    static JtaEnvironment jta;
    private final EntityManagerFactory veristUnit;

    final PgRunStore store;
    private final HikariDataSource plainPool;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);

    DispatchEnvironment() throws SQLException {
        jta = new JtaEnvironment();
        veristUnit = jta.unit("verist");
        JavaSeUnit.factory = veristUnit;
        try (Connection c = jta.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + DELIVERIES + " (outbox_id BIGINT NOT NULL, handler TEXT NOT NULL,"
                    + " at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
        }
        // A Java SE store on a pool of its own: what it does commits at once, even while a handler's
        // transaction is open on the same thread.
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.get().urlFor(jta.schema));
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(4);
        plainPool = new HikariDataSource(config);
        store = PgRunStore.create(plainPool);
    }

    /** Settings for quick tests on this environment's executor and transaction manager. */
    DispatcherSettings.Builder settings() {
        return DispatcherSettings.builder()
                .executor(executor)
                .userTransaction(com.arjuna.ats.jta.UserTransaction.userTransaction())
                .pollInterval(java.time.Duration.ofMillis(50))
                .batchSize(5)
                .shutdownTimeout(java.time.Duration.ofSeconds(5));
    }

    /** A started Weld container with the store, the dispatcher, the unit and {@code beans}. */
    WeldContainer container(String id, Class<?>... beans) {
        return new Weld(id).disableDiscovery()
                .addServices(new NarayanaTransactionServices())
                .addExtensions(new TransactionExtension())
                .addBeanClasses(ContainerPgRunStore.class, OutboxDispatcher.class, JavaSeUnit.class)
                .addBeanClasses(beans)
                .initialize();
    }

    /** Records a handler's work in the delivery's transaction. */
    static void recordDelivery(long outboxId, String handler) throws SQLException {
        try (Connection c = jta.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + DELIVERIES + " (outbox_id, handler) VALUES (?, ?)")) {
            ps.setLong(1, outboxId);
            ps.setString(2, handler);
            ps.executeUpdate();
        }
    }

    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        store.close();
        plainPool.close();
        veristUnit.close();
        jta.close();
    }
}
