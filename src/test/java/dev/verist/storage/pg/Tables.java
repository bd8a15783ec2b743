package dev.verist.storage.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Plain JDBC views of the verist tables, so tests check what is really stored, not what the store says. */
public final class Tables {

    private final DataSource dataSource;

    private static final List<String> TABLES =
            List.of("verist_state", "verist_events", "verist_outbox", "verist_blocks", "verist_commits");

    public Tables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Empties every table and restarts the id sequences. */
    public void truncateAll() {
        update("TRUNCATE verist_state, verist_events, verist_outbox, verist_blocks, verist_commits RESTART IDENTITY");
    }

    /** Number of rows in {@code table} (one of the verist tables). */
    public long count(String table) {
        return ((Number) rows("SELECT count(*) AS n FROM " + checked(table)).get(0).get("n")).longValue();
    }

    /** Row counts of the four run tables, as {@code state=…, events=…, outbox=…, blocks=…}. */
    public String counts() {
        return "state=" + count("verist_state") + ", events=" + count("verist_events")
                + ", outbox=" + count("verist_outbox") + ", blocks=" + count("verist_blocks");
    }

    /** Every column of every row of {@code table}, ordered by its key; JSON columns as text. */
    public List<Map<String, Object>> all(String table) {
        String order = switch (table) {
            case "verist_state" -> "workflow_id, run_id";
            case "verist_commits" -> "workflow_id, run_id, commit_id";
            default -> "id";
        };
        return rows("SELECT * FROM " + checked(table) + " ORDER BY " + order);
    }

    /** Every row of every verist table, to compare before and after a call that must write nothing. */
    public Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (String table : TABLES) {
            all.put(table, all(table));
        }
        return all;
    }

    /** The database clock now ({@code clock_timestamp()}), for bounds on the times the store writes. */
    public java.time.Instant clock() {
        return ((java.sql.Timestamp) rows("SELECT clock_timestamp() AS t").get(0).get("t")).toInstant();
    }

    /** The single boolean a one-row, one-column query returns. */
    public boolean bool(String sql, Object... binds) {
        List<Map<String, Object>> rows = rows(sql, binds);
        if (rows.size() != 1) {
            throw new IllegalStateException(sql + " returned " + rows.size() + " rows, not 1");
        }
        return Boolean.TRUE.equals(rows.get(0).values().iterator().next());
    }

    /** The rows a query returns, each as column → value (JSON as text). */
    public List<Map<String, Object>> rows(String sql, Object... binds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                ps.setObject(i + 1, binds[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnName(i), value instanceof org.postgresql.util.PGobject pg ? pg.getValue() : value);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs a statement and returns its update count. */
    public int update(String sql, Object... binds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                ps.setObject(i + 1, binds[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The plan of a statement with its binds ({@code EXPLAIN (COSTS OFF)}), one line per node. */
    public String explain(String sql, Object... binds) {
        return String.join("\n", rows("EXPLAIN (COSTS OFF) " + sql, binds).stream()
                .map(row -> (String) row.values().iterator().next()).toList());
    }

    /** A statement the store runs, read from its constant {@code field} in {@code dev.verist.storage.pg.internal}. */
    public static String storeSql(String holder, String field) {
        try {
            java.lang.reflect.Field f = Class.forName("dev.verist.storage.pg.internal." + holder)
                    .getDeclaredField(field);
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(holder + "." + field, e);
        }
    }

    /** Runs SQL that may hold several statements. */
    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String checked(String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a verist table: " + table);
        }
        return table;
    }
}
