package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests against the real PostgreSQL: each test class gets a store wired as {@link Wiring#selected()}
 * says, in a schema of its own with {@code schema.sql} applied, and a separate plain pool on that schema for
 * checking what is really committed; each test starts with empty tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreTest {

    protected String schema;
    /** A plain pool on the schema, apart from the store's connections: it sees committed rows only. */
    protected HikariDataSource dataSource;
    protected PgRunStore store;
    protected Tables tables;
    private WiredStore wired;

    @BeforeAll
    void createSchemaAndStore() throws Exception {
        TestDatabase db = TestDatabase.get();
        wired = Wiring.selected().open(db);
        schema = wired.schema();
        dataSource = pool(db, schema, 4);
        store = wired.store();
        tables = new Tables(dataSource);
    }

    @AfterAll
    void dropSchema() throws Exception {
        if (dataSource != null) {
            dataSource.close();
        }
        if (wired != null) {
            wired.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        tables.truncateAll();
    }

    /** Asserts that {@code call} is bad input naming {@code field}, and that no table changed. */
    protected void assertInvalidWritingNothing(Runnable call, String field) {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.field()).isEqualTo(field));
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    /** Sleeps, for tests that wait on the database clock. */
    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        config.setPoolName("test-" + schema + "-" + size);
        config.addDataSourceProperty("ApplicationName", schema);
        return config;
    }
}
