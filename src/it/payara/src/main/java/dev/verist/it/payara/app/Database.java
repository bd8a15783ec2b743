package dev.verist.it.payara.app;

import dev.verist.storage.pg.PgSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Plain JDBC to the test database, outside any container transaction and pool: what the tests use to see what
 * was really committed, and what sets up the schema. Same server, database and schema as the application's
 * data source ({@link SchemaSetup}), from the variables the library's tests read: {@code VERIST_JDBC_URL} (default
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
            statement.execute("CREATE TABLE invoice (id TEXT PRIMARY KEY, customer TEXT NOT NULL,"
                    + " amount_cents BIGINT NOT NULL)");
        }
    }

    public static void dropSchema() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    /** {@code SELECT count(*) FROM <table> WHERE <column> = value}, in {@link #SCHEMA}. */
    public static long count(String table, String column, String value) {
        try (Connection connection = connect();
             PreparedStatement ps = connection.prepareStatement(
                     "SELECT count(*) FROM " + SCHEMA + "." + table + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting " + table + " rows failed: " + e.getMessage(), e);
        }
    }

    /** {@code current_database()} and {@code current_schema()} of a connection, e.g. {@code "postgres/verist_it_payara"}. */
    public static String whereAmI(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database() || '/' || current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The committed version of a run, or -1 when the run does not exist. */
    public static int runVersion(String workflowId, String runId) {
        try (Connection connection = connect();
             PreparedStatement ps = connection.prepareStatement(
                     "SELECT version FROM " + SCHEMA + ".verist_state WHERE workflow_id = ? AND run_id = ?")) {
            ps.setString(1, workflowId);
            ps.setString(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the run version failed: " + e.getMessage(), e);
        }
    }

    /** The status column of one outbox row. */
    public static String outboxStatus(String outboxId) {
        try (Connection connection = connect();
             PreparedStatement ps = connection.prepareStatement(
                     "SELECT status FROM " + SCHEMA + ".verist_outbox WHERE id = ?")) {
            ps.setLong(1, Long.parseLong(outboxId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the outbox row failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
