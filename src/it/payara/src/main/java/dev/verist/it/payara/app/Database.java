package dev.verist.it.payara.app;

import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.interplay.Invoice;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Plain JDBC to the test database, outside any container transaction and pool: what sets up the schema, and what
 * the tests read the committed rows with. Same server, database and schema as the application's data source
 * ({@link SchemaSetup}), from the variables the library's tests read: {@code VERIST_JDBC_URL} (default
 * {@value #DEFAULT_URL}), {@code VERIST_JDBC_USER} (default {@value #DEFAULT_USER}), {@code VERIST_JDBC_PASSWORD}
 * (default empty); schema {@value #SCHEMA}.
 */
public final class Database {

    /** The one schema these tests use; dropped and recreated, nothing else in the database is touched. */
    public static final String SCHEMA = "verist_it_payara";

    /** The server and database when {@code VERIST_JDBC_URL} is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /** The user when {@code VERIST_JDBC_USER} is not set. */
    public static final String DEFAULT_USER = "postgres";

    private Database() {
    }

    /** {@code VERIST_JDBC_URL}, else {@value #DEFAULT_URL}. */
    public static String url() {
        return env("VERIST_JDBC_URL", DEFAULT_URL);
    }

    /** A new autocommit connection with {@code search_path} set to {@link #SCHEMA}. */
    public static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", env("VERIST_JDBC_USER", DEFAULT_USER));
        properties.setProperty("password", env("VERIST_JDBC_PASSWORD", ""));
        Connection connection = new org.postgresql.Driver().connect(url(), properties);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + url());
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + SCHEMA);
        }
        return connection;
    }

    /** Drops {@link #SCHEMA} if it exists, creates it, applies the verist DDL and the application's table. */
    public static void recreateSchema() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("SET search_path TO " + SCHEMA);
            statement.execute(PgSchema.ddl());
            statement.execute(Invoice.CREATE_TABLE);
        }
    }

    /** Drops {@link #SCHEMA} and everything in it. */
    public static void dropSchema() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
