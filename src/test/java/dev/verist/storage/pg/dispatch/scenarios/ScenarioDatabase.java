package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.PgSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The database of a server scenario, watched from outside the server: a fresh schema with the store's tables and
 * the handlers' {@link Deliveries}, a Java SE store on it for committing, and the reads the scenarios check with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScenarioDatabase {

    private DataSource database;
    private PgRunStore store;

    /** Plain connections (autocommit, outside the server) to the database the server's datasource uses, in {@link #schema()}. */
    protected abstract DataSource database();

    /** The schema the server's datasource works in; the scenarios drop and recreate it. */
    protected abstract String schema();

    @BeforeAll
    final void freshSchema() throws SQLException {
        database = database();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            String schema = schema();
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            s.execute(PgSchema.ddl());
            s.execute(Deliveries.CREATE_TABLE);
        }
        store = PgRunStore.create(database);
    }

    @AfterAll
    final void closeStore() {
        store.close();
    }

    /** A store outside the server, as another node's. */
    protected final PgRunStore store() {
        return store;
    }

    /** How many of {@code ids} have {@code status}. */
    protected final long statusCount(List<Long> ids, String status) {
        try (Connection c = database.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM verist_outbox WHERE status = ? AND id = ANY(?)")) {
            ps.setString(1, status);
            ps.setArray(2, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The handlers' rows per entry of {@code ids} that has any. */
    protected final Map<Long, Integer> deliveriesPerEntry(List<Long> ids) throws SQLException {
        Map<Long, Integer> perEntry = new HashMap<>();
        try (Connection c = database.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT outbox_id, count(*) FROM " + Deliveries.TABLE
                     + " WHERE outbox_id = ANY(?) GROUP BY outbox_id")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    perEntry.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return perEntry;
    }

    /** The first column of {@code sql}'s rows, as text. */
    protected final List<String> column(String sql, Object... binds) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                ps.setObject(i + 1, binds[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    /** The first column of {@code sql}'s rows, as numbers. */
    protected final List<Long> numbers(String sql, Object... binds) {
        try {
            return column(sql, binds).stream().map(Long::parseLong).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number {@code sql} selects. */
    protected final long number(String sql, Object... binds) throws SQLException {
        return Long.parseLong(column(sql, binds).get(0));
    }

    /** Waits up to a minute for {@code condition}: a server's threads. */
    protected static void awaitTrue(String what, BooleanSupplier condition) {
        Awaits.awaitTrue(what, condition, Duration.ofSeconds(60));
    }
}
