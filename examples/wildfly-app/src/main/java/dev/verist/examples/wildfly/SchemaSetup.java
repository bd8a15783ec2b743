package dev.verist.examples.wildfly;

import dev.verist.storage.pg.PgSchema;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * At start-up: creates the schema verist_example if it is missing, then applies schema.sql (idempotent) in it,
 * and creates the pay-invoice handler's table.
 * The datasource's connections work in that schema (connection property currentSchema, see datasource.cli), so
 * the store's unqualified SQL finds its tables there. Production applications run schema.sql with their migration
 * tool instead (Flyway finds it in the jar at classpath:db/migration/verist).
 */
@ApplicationScoped
public class SchemaSetup {

    static final String SCHEMA = "verist_example";

    private static final Logger LOG = Logger.getLogger(SchemaSetup.class.getName());

    @Resource(lookup = "java:jboss/datasources/VeristExampleDS")
    DataSource dataSource;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            statement.execute(PgSchema.ddl());
            // The pay-invoice handler's own table: one payment per outbox entry.
            statement.execute("CREATE TABLE IF NOT EXISTS example_payments (outbox_id BIGINT PRIMARY KEY,"
                    + " run_id TEXT NOT NULL, amount NUMERIC NOT NULL, paid_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            throw new IllegalStateException("Applying the verist schema in " + SCHEMA + " failed (is PostgreSQL"
                    + " reachable at VERIST_JDBC_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?): "
                    + e.getMessage(), e);
        }
        // Which Jackson the library runs on: WEB-INF/lib's, unless the server's modules shadow it (see
        // jboss-deployment-structure.xml).
        LOG.info("verist schema ready in " + SCHEMA + "; Jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);
    }
}
