package dev.verist.storage.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests against the real PostgreSQL: each test class gets its own schema with {@code schema.sql}
 * applied, a pool on it and a {@link PgRunStore}; each test starts with empty tables.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreTest {

    protected String schema;
    protected HikariDataSource dataSource;
    protected PgRunStore store;
    protected Tables tables;

    @BeforeAll
    void createSchemaAndStore() {
        TestDatabase db = TestDatabase.get();
        schema = db.createSchema("verist_test");
        dataSource = pool(db, schema, 8);
        PgSchema.apply(dataSource);
        store = PgRunStore.create(dataSource);
        tables = new Tables(dataSource);
    }

    @AfterAll
    void dropSchema() {
        if (store != null) {
            store.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        TestDatabase.get().dropSchema(schema);
    }

    @BeforeEach
    void emptyTables() {
        tables.truncateAll();
    }

    /** A HikariCP pool on {@code schema}. */
    protected static HikariDataSource pool(TestDatabase db, String schema, int size) {
        return new HikariDataSource(poolConfig(db, schema, size));
    }

    /** The configuration of {@link #pool}, for tests that change it before the pool starts. */
    protected static HikariConfig poolConfig(TestDatabase db, String schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.urlFor(schema));
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + schema);
        config.addDataSourceProperty("ApplicationName", schema);
        return config;
    }

    /** The store's data source, for tests that build their own store. */
    protected DataSource dataSource() {
        return dataSource;
    }
}
