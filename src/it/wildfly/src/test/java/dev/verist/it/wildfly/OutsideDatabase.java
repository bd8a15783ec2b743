package dev.verist.it.wildfly;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The server's database as the suites reach it from outside the server, in the suites' schema. */
public final class OutsideDatabase {

    private OutsideDatabase() {
    }

    /** Plain connections: VERIST_JDBC_URL, VERIST_JDBC_USER, VERIST_JDBC_PASSWORD, as the server's datasource. */
    public static DataSource get() {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(env("VERIST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"));
        database.setUser(env("VERIST_JDBC_USER", "postgres"));
        database.setPassword(env("VERIST_JDBC_PASSWORD", "postgres"));
        database.setCurrentSchema(ItSchema.SCHEMA);
        return database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
