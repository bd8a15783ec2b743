package dev.verist.it.payara.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.SQLException;

/**
 * The application's JTA data source (the persistence units name it), and the schema: recreated when the
 * application starts, dropped when it stops. {@code VERIST_JDBC_URL}, {@code VERIST_JDBC_USER} and
 * {@code VERIST_JDBC_PASSWORD} override the server and database, the user and the password, as for
 * {@link Database} (Payara expands {@code ${ENV=name:default}} in annotations); the schema is always
 * {@value Database#SCHEMA}.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/veristIt",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${ENV=VERIST_JDBC_URL:" + Database.DEFAULT_URL + "}",
        user = "${ENV=VERIST_JDBC_USER:" + Database.DEFAULT_USER + "}",
        password = "${ENV=VERIST_JDBC_PASSWORD:}",
        properties = {"currentSchema=" + Database.SCHEMA},
        minPoolSize = 1,
        maxPoolSize = 8)
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaSetup {

    @PostConstruct
    void createSchema() {
        try {
            Database.recreateSchema();
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the schema " + Database.SCHEMA + " at " + Database.url()
                    + " failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void dropSchema() {
        try {
            Database.dropSchema();
        } catch (SQLException e) {
            throw new IllegalStateException("Dropping the schema " + Database.SCHEMA + " failed: " + e.getMessage(), e);
        }
    }
}
