package dev.verist.it.payara.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.sql.SQLException;

/**
 * The schema of the application's data source ({@link ApplicationDataSource}), {@value Database#SCHEMA}: recreated
 * when the application starts, dropped when it stops.
 */
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
