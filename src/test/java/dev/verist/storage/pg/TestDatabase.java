package dev.verist.storage.pg;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Finds the PostgreSQL server the tests run against, once per JVM: the JDBC URL in {@code VERIST_JDBC_URL}
 * (with {@code VERIST_JDBC_USER} / {@code VERIST_JDBC_PASSWORD}), else a server answering on
 * 127.0.0.1:5432 (user {@code postgres}), else a Testcontainers PostgreSQL when Docker is available.
 * Each test class works in a fresh schema of its own, so the database need not be empty.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final String url;
    private final String user;
    private final String password;

    private TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The server for this JVM. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = find();
        }
        return instance;
    }

    private static TestDatabase find() {
        String url = System.getenv("VERIST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new TestDatabase(url, envOr("VERIST_JDBC_USER", "postgres"), envOr("VERIST_JDBC_PASSWORD", ""));
        }
        if (LocalPorts.answers("127.0.0.1", 5432, 500)) {
            return new TestDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        throw new IllegalStateException("No PostgreSQL for the tests: set VERIST_JDBC_URL (and VERIST_JDBC_USER,"
                + " VERIST_JDBC_PASSWORD), or start PostgreSQL on 127.0.0.1:5432 with user postgres, or make Docker"
                + " available for Testcontainers.");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** The server's JDBC URL (its default schema). */
    public String url() {
        return url;
    }

    /** The server's host, as its URL names it (the first host, when the URL lists several). */
    public String host() {
        return server().getHost();
    }

    /** The server's port (5432 when the URL names none). */
    public int port() {
        return server().getPort() < 0 ? 5432 : server().getPort();
    }

    /** The database the URL names. */
    public String database() {
        return server().getPath().substring(1);
    }

    private URI server() {
        URI server = URI.create(url.substring("jdbc:".length()));
        if (server.getHost() == null || server.getPath() == null || server.getPath().length() < 2) {
            throw new IllegalStateException("cannot read one host and a database from " + url);
        }
        return server;
    }

    /** The user. */
    public String user() {
        return user;
    }

    /** The password. */
    public String password() {
        return password;
    }

    /** The JDBC URL of {@code schema}: unqualified names resolve there. */
    public String urlFor(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A plain connection to the server's default schema. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(url, props);
    }

    /** Creates a new empty schema and returns its name. */
    public String createSchema(String prefix) {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    /** Drops a schema made by {@link #createSchema}. */
    public void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }
}
