package dev.verist.it.wildfly;

import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.interplay.Invoice;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * At deployment: drops and recreates the schema verist_it_wildfly, so it holds the verist tables of this build's
 * schema.sql (not those of an earlier build) and the application's table {@value Invoice#TABLE}. The datasource's connections work
 * in that schema (connection property currentSchema), so the unqualified DDL lands there. Nothing else in the
 * database is touched; the tests empty these tables before each scenario.
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ItSchema {

    /** The schema the tests work in. */
    public static final String SCHEMA = "verist_it_wildfly";
    /** The JTA datasource of the application and the store (datasource.cli). */
    public static final String DATASOURCE = "java:jboss/datasources/VeristItDS";

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    @PostConstruct
    void create() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute(PgSchema.ddl());
            statement.execute(Invoice.CREATE_TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the schema " + SCHEMA + " failed: " + e.getMessage(), e);
        }
    }
}
