package dev.verist.examples.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Finds PostgreSQL as the library's tests do: {@code VERIST_JDBC_URL} (with {@code VERIST_JDBC_USER},
 * {@code VERIST_JDBC_PASSWORD}), else a server on 127.0.0.1:5432 with user {@code postgres}, else a
 * Testcontainers PostgreSQL when Docker is available. The example works in a schema of its own.
 */
final class Database {

    private Database() {
    }

    /** A pool on a freshly emptied {@code schema} of the database found. */
    static HikariDataSource pool(String schema) throws SQLException {
        HikariConfig config = new HikariConfig();
        String url = System.getenv("VERIST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            config.setJdbcUrl(url);
            config.setUsername(envOr("VERIST_JDBC_USER", "postgres"));
            config.setPassword(envOr("VERIST_JDBC_PASSWORD", ""));
        } else if (answers("127.0.0.1", 5432)) {
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/postgres");
            config.setUsername("postgres");
        } else if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            config.setJdbcUrl(container.getJdbcUrl());
            config.setUsername(container.getUsername());
            config.setPassword(container.getPassword());
        } else {
            throw new IllegalStateException("No PostgreSQL found: set VERIST_JDBC_URL (and VERIST_JDBC_USER,"
                    + " VERIST_JDBC_PASSWORD), start PostgreSQL on 127.0.0.1:5432, or make Docker available.");
        }
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql("SET search_path TO " + schema);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return pool;
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
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
}
