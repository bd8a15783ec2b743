package dev.verist.storage.pg.health;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.arjuna.ats.jta.cdi.TransactionExtension;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.TestDatabase;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.cdi.JtaEnvironment;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeSettings;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeUnit;
import dev.verist.storage.pg.dispatch.scenarios.NarayanaTransactionServices;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * What a server gives the health beans, in Java SE: {@link JtaEnvironment}'s Narayana and enlisting pool with the
 * verist unit on it (or on a port where no database listens), Weld containers with the store bean, the dispatcher
 * and the health beans, and a Java SE store on a plain pool of the same schema to make outbox rows with.
 */
public final class HealthEnvironment implements AutoCloseable {

    private final JtaEnvironment jta = new JtaEnvironment();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<WeldContainer> containers = new ArrayList<>();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

    /** A Java SE store on this environment's schema. */
    final PgRunStore store;
    /** A plain pool on this environment's schema. */
    final HikariDataSource plainPool;

    /** A new schema with the verist tables, and the store bean's unit on it. */
    public HealthEnvironment() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.get().urlFor(jta.schema));
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(2);
        plainPool = new HikariDataSource(config);
        store = PgRunStore.create(plainPool);
        useDatabase();
    }

    /** The store bean's unit on this environment's schema, for the containers started from now on. */
    void useDatabase() {
        EntityManagerFactory unit = jta.unit("verist");
        closing.add(unit::close);
        JavaSeUnit.factory = unit;
    }

    /**
     * The store bean's unit on a JTA pool to a port of this machine where nothing listens, for the containers
     * started from now on: every connection is refused.
     */
    public void useUnreachableDatabase() {
        AgroalDataSource nowhere;
        try {
            nowhere = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(2)
                            .acquisitionTimeout(Duration.ofSeconds(5))
                            .transactionIntegration(new NarayanaTransactionIntegration(
                                    com.arjuna.ats.jta.TransactionManager.transactionManager(),
                                    new TransactionSynchronizationRegistryImple()))
                            .connectionFactoryConfiguration(factory -> factory
                                    .jdbcUrl("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2"))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        closing.add(nowhere::close);
        // Without a database at boot, Hibernate must be told the dialect instead of asking for it.
        EntityManagerFactory unit = Persistence.createEntityManagerFactory("verist", Map.of(
                "jakarta.persistence.jtaDataSource", nowhere,
                "hibernate.transaction.jta.platform",
                "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform",
                "hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect",
                "hibernate.boot.allow_jdbc_metadata_access", "false"));
        closing.add(unit::close);
        JavaSeUnit.factory = unit;
    }

    /** Makes this environment's schema what V1 alone creates: the tables as first shipped, nothing of the later migrations. */
    public void downgradeToV1() throws SQLException, IOException {
        String v1;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("db/migration/verist/V1__verist_schema.sql")) {
            v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = plainPool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE verist_outbox, verist_blocks, verist_events, verist_state CASCADE");
            s.execute("DROP SEQUENCE verist_outbox_lease_token_seq");
            s.execute("DROP TABLE verist_commits");
            s.execute(v1);
        }
    }

    /** A Java SE store on this environment's schema. */
    public PgRunStore store() {
        return store;
    }

    /** A plain pool on this environment's schema. */
    public HikariDataSource plainPool() {
        return plainPool;
    }

    /** Runs {@code sql} on this environment's schema. */
    void execute(String sql) throws SQLException {
        try (Connection c = plainPool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Dispatcher settings on this environment's executor and transaction manager, polling often. */
    public DispatcherSettings.Builder settings() {
        return DispatcherSettings.builder()
                .executor(executor)
                .userTransaction(com.arjuna.ats.jta.UserTransaction.userTransaction())
                .pollInterval(Duration.ofMillis(50))
                .batchSize(5)
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    /** A started container with the store, the dispatcher, the health beans and {@code beans}; dispatcher off. */
    public WeldContainer container(Class<?>... beans) {
        WeldContainer container = new Weld("health-" + containers.size()).disableDiscovery()
                .addServices(new NarayanaTransactionServices())
                .addExtensions(new TransactionExtension())
                .addBeanClasses(ContainerPgRunStore.class, OutboxDispatcher.class, JavaSeUnit.class,
                        VeristHealth.class, OutboxGauges.class)
                .addBeanClasses(beans)
                .initialize();
        containers.add(container);
        return container;
    }

    /** A started container as {@link #container}, whose dispatcher starts with {@link #settings()}. */
    public WeldContainer containerWithDispatcher(Class<?>... beans) {
        return containerWithDispatcher(settings(), beans);
    }

    /** A started container as {@link #container}, whose dispatcher starts with {@code settings}. */
    public WeldContainer containerWithDispatcher(DispatcherSettings.Builder settings, Class<?>... beans) {
        JavaSeSettings.current = settings.build();
        Class<?>[] all = new Class<?>[beans.length + 1];
        all[0] = JavaSeSettings.class;
        System.arraycopy(beans, 0, all, 1, beans.length);
        return container(all);
    }

    /** Stops the containers, closes the pools and units, drops the schema. */
    @Override
    public void close() throws Exception {
        containers.forEach(WeldContainer::shutdown);
        executor.shutdownNow();
        store.close();
        plainPool.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
        jta.close();
    }
}
