package dev.verist.it.payara.dispatch;

import dev.verist.it.payara.app.Database;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * The application's JTA data source, as the interplay suites' application defines it, but without touching the
 * schema: the dispatcher scenarios prepare it before deploying.
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
public class DispatchDataSource {
}
