package dev.verist.examples.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.pg.PgSchema;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds PostgreSQL as the library's tests do: {@code VERIST_JDBC_URL} (with {@code VERIST_JDBC_USER},
 * {@code VERIST_JDBC_PASSWORD}), else a server on 127.0.0.1:5432 with user {@code postgres}. The example owns one
 * schema, {@value #SCHEMA}: it creates it when missing and empties the verist tables in it at every run; nothing
 * outside that schema is touched.
 */
final class Database {

    /** The one schema the quickstart works in. */
    static final String SCHEMA = "verist_quickstart";

    private Database() {
    }

    /** A pool whose connections work in {@link #SCHEMA}, with the verist tables there and empty. */
    static HikariDataSource pool() throws SQLException {
        HikariConfig config = new HikariConfig();
        String url = System.getenv("VERIST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            config.setJdbcUrl(url);
            config.setUsername(envOr("VERIST_JDBC_USER", "postgres"));
            config.setPassword(envOr("VERIST_JDBC_PASSWORD", ""));
        } else if (answers("127.0.0.1", 5432)) {
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/postgres");
            config.setUsername("postgres");
        } else {
            throw new IllegalStateException("No PostgreSQL found: set VERIST_JDBC_URL (and VERIST_JDBC_USER,"
                    + " VERIST_JDBC_PASSWORD), or start PostgreSQL on 127.0.0.1:5432 with user postgres.");
        }
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql("SET search_path TO " + SCHEMA);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
        PgSchema.apply(pool);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE verist_state, verist_events, verist_outbox, verist_blocks RESTART IDENTITY");
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

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
