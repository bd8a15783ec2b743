package dev.verist.it.payara.app;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * The application's JTA data source, which the persistence units name. {@code VERIST_JDBC_URL},
 * {@code VERIST_JDBC_USER} and {@code VERIST_JDBC_PASSWORD} override the server and database, the user and the
 * password, as for {@link Database} (Payara expands {@code ${ENV=name:default}} in annotations); the schema is always
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
@Singleton
public class ApplicationDataSource {
}
