package dev.verist.storage.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Locale;
import java.util.Map;

/**
 * The ways users wire the store, each a value the behaviour contract runs on. The build runs every
 * {@link StoreContract} class once per wiring (system property {@value #PROPERTY}); without the property a test
 * runs on {@link #DATA_SOURCE}.
 */
public enum Wiring {
    /** {@code PgRunStore.create(DataSource)} over a HikariCP pool. */
    DATA_SOURCE,
    /** {@code PgRunStore.create(EntityManagerFactory)} over an application's RESOURCE_LOCAL unit with verist-orm.xml. */
    ENTITY_MANAGER_FACTORY,
    /** {@code PgRunStore.create(DataSource)} over a pool that hands out connections with autocommit off. */
    MANUAL_COMMIT_POOL,
    /** The CDI bean in Weld with Narayana and an enlisting pool, every call inside a caller's {@code @Transactional} method. */
    JTA_CALLER_TRANSACTION,
    /** The CDI bean in Weld with Narayana and an enlisting pool, called outside any transaction (it begins its own). */
    JTA_NO_CALLER_TRANSACTION,
    /**
     * {@code PgRunStore.create(DataSource)} over a HikariCP pool through {@link PgBouncer} in transaction pooling
     * mode, with pgjdbc's {@code prepareThreshold=0}; the schema is pinned by the role's {@code search_path}.
     */
    PGBOUNCER;

    /** The system property that selects the wiring, e.g. {@code -Dverist.wiring=jta-caller-transaction}. */
    public static final String PROPERTY = "verist.wiring";

    /** Connections the store may use at once: enough for the sixteen racers of the concurrency contract. */
    static final int POOL_SIZE = 16;

    /** The wiring the build selected. */
    public static Wiring selected() {
        String name = System.getProperty(PROPERTY, "");
        for (Wiring wiring : values()) {
            if (wiring.wireName().equals(name)) {
                return wiring;
            }
        }
        if (name.isEmpty()) {
            return DATA_SOURCE;
        }
        throw new IllegalArgumentException(PROPERTY + "=" + name + " is none of the wirings: data-source,"
                + " entity-manager-factory, manual-commit-pool, jta-caller-transaction, jta-no-caller-transaction, pgbouncer");
    }

    /** The name the build uses, e.g. {@code manual-commit-pool}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A store wired this way, in a new schema of {@code db} that holds the verist tables. */
    WiredStore open(TestDatabase db) throws Exception {
        return switch (this) {
            case DATA_SOURCE -> overPool(db, true);
            case MANUAL_COMMIT_POOL -> overPool(db, false);
            case ENTITY_MANAGER_FACTORY -> overApplicationUnit(db);
            case JTA_CALLER_TRANSACTION -> JtaWiring.open(true);
            case JTA_NO_CALLER_TRANSACTION -> JtaWiring.open(false);
            case PGBOUNCER -> throughPgBouncer();
        };
    }

    private static WiredStore overPool(TestDatabase db, boolean autoCommit) {
        String schema = newSchema(db);
        HikariConfig config = StoreTest.poolConfig(db, schema, POOL_SIZE);
        config.setPoolName("store-" + schema);
        config.setAutoCommit(autoCommit);
        HikariDataSource pool = new HikariDataSource(config);
        PgRunStore store = PgRunStore.create(pool);
        return new WiredStore(schema, store, () -> {
            store.close();
            pool.close();
            db.dropSchema(schema);
        });
    }

    private static WiredStore overApplicationUnit(TestDatabase db) {
        String schema = newSchema(db);
        HikariDataSource pool = StoreTest.pool(db, schema, POOL_SIZE);
        EntityManagerFactory unit = Persistence.createEntityManagerFactory("application-se",
                Map.of("hibernate.connection.datasource", pool));
        PgRunStore store = PgRunStore.create(unit);
        return new WiredStore(schema, store, () -> {
            store.close();
            unit.close();
            pool.close();
            db.dropSchema(schema);
        });
    }

    // The store's connections go through PgBouncer; the test's own pool (StoreTest.dataSource) reaches PostgreSQL
    // directly, as an observer of what is committed.
    private static WiredStore throughPgBouncer() {
        PgBouncer bouncer = PgBouncer.get();
        PgBouncer.Tenant tenant = bouncer.createTenant("verist_test");
        HikariDataSource pool = new HikariDataSource(bouncer.poolConfig(tenant, POOL_SIZE));
        PgRunStore store = PgRunStore.create(pool);
        return new WiredStore(tenant.schema(), store, () -> {
            store.close();
            pool.close();
            bouncer.dropTenant(tenant);
        });
    }

    private static String newSchema(TestDatabase db) {
        String schema = db.createSchema("verist_test");
        try (HikariDataSource setup = StoreTest.pool(db, schema, 1)) {
            PgSchema.apply(setup);
        }
        return schema;
    }
}
