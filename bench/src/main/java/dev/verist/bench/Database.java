package dev.verist.bench;

import dev.verist.storage.pg.PgSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Set-up outside the timed windows, in plain SQL on its own connection, as floor.sh does it: the harness's own
 * database (dropped and created), the schema, the prefilled runs and the drain's pending outbox rows.
 */
final class Database implements AutoCloseable {

    private final Options options;
    private Connection admin;
    private long refills;

    Database(Options options) {
        this.options = options;
    }

    /** Drops and creates the harness's database, applies the schema and prefills runs r-1..r-N at version 1. */
    void create(Payloads payloads) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + options.db);
            s.execute("CREATE DATABASE " + options.db);
        }
        admin = connect(options.db);
        try (Statement s = admin.createStatement()) {
            s.execute(ddl());
        }
        try (PreparedStatement ps = admin.prepareStatement("""
                INSERT INTO verist_state (workflow_id, run_id, version, computed)
                  SELECT 'bench', 'r-' || g, 1, ?::jsonb FROM generate_series(1, ?) g""")) {
            ps.setString(1, payloads.createOutputJson);
            ps.setInt(2, options.runs);
            ps.executeUpdate();
        }
        try (Statement s = admin.createStatement()) {
            s.execute("VACUUM ANALYZE verist_state");
        }
    }

    /**
     * Before each drain: {@code rows} pending outbox rows of floor.sh's shape, vacuumed and analysed.
     * {@code full} is floor.sh's prefill_outbox (delete everything, insert {@code rows}). Otherwise the outbox is
     * topped up: rows that are not untouched prefill rows (dispatched, leased, or written by update-commands)
     * are deleted and only the missing pending rows are inserted after the remaining ones, which ends in the
     * same state at a fraction of the cost (the floor's full refill takes 10-20 s on 2 cores).
     */
    void prefillOutbox(int rows, boolean full) throws SQLException {
        long have = 0;
        try (Statement s = admin.createStatement()) {
            // The backlog (--backlog) stays: it is what the drain is measured against.
            if (full) {
                s.execute("DELETE FROM verist_outbox WHERE step_id <> 'backlog'");
            } else {
                s.execute("DELETE FROM verist_outbox WHERE step_id <> 'backlog' AND (status <> 'pending'"
                        + " OR step_id <> 'verify' OR lease_owner IS NOT NULL OR dedupe_key NOT LIKE 'p%')");
                have = count("SELECT count(*) FROM verist_outbox WHERE step_id <> 'backlog'");
                if (have > rows) {
                    s.execute("DELETE FROM verist_outbox WHERE step_id <> 'backlog'");
                    have = 0;
                }
            }
            // The dedupe keys are 64 characters as floor.sh's; a per-refill tag keeps them unique.
            String tag = Long.toString(++refills);
            s.execute("INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status, created_at)"
                    + " SELECT 'bench', 'r-' || (g % " + options.runs + " + 1), 'verify',"
                    + " '{\"type\":\"invoke\",\"step\":\"verify-claim\",\"input\":{}}'::jsonb,"
                    + " 'p' || left(md5('" + tag + "-' || g::text), 31) || md5('k' || g::text),"
                    + " 'pending', now() + g * interval '1 microsecond'"
                    + " FROM generate_series(1, " + (rows - have) + ") g");
            s.execute("VACUUM ANALYZE verist_outbox");
        }
    }

    /**
     * Tops the backlog up to {@code dispatched} dispatched rows and {@code waiting} pending retries due in a day,
     * all created two days ago (so the waiting retries come before every prefill row in creation order), step id
     * {@code backlog}. Needs schema V2 (next_attempt_at).
     */
    void ensureBacklog(int dispatched, int waiting) throws SQLException {
        long haveDispatched = count("SELECT count(*) FROM verist_outbox WHERE step_id = 'backlog' AND status = 'dispatched'");
        long haveWaiting = count("SELECT count(*) FROM verist_outbox WHERE step_id = 'backlog' AND status = 'pending'");
        try (Statement s = admin.createStatement()) {
            String tag = Long.toString(++refills);
            s.execute(backlogRows(tag, "d", dispatched - haveDispatched,
                    "'dispatched', now() - interval '2 days' + g * interval '1 microsecond', NULL,"
                            + " now() - interval '1 day' + g * interval '1 microsecond', 0"));
            s.execute(backlogRows(tag, "w", waiting - haveWaiting,
                    "'pending', now() - interval '2 days' + g * interval '1 microsecond', now() + interval '1 day',"
                            + " NULL, 1"));
            s.execute("VACUUM ANALYZE verist_outbox");
        }
    }

    private String backlogRows(String tag, String kind, long rows, String statusAndTimes) {
        return "INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status, created_at,"
                + " next_attempt_at, dispatched_at, failures)"
                + " SELECT 'bench', 'r-' || (g % " + options.runs + " + 1), 'backlog',"
                + " '{\"type\":\"invoke\",\"step\":\"verify-claim\",\"input\":{}}'::jsonb,"
                + " 'b" + kind + "' || left(md5('" + tag + "-' || g::text), 30) || md5('b' || g::text), "
                + statusAndTimes + " FROM generate_series(1, " + Math.max(0, rows) + ") g";
    }

    /**
     * The plan of the store's lease statement as the drain runs it (EXPLAIN ANALYZE in a transaction that is
     * rolled back, so nothing is leased), read from the library's own SQL.
     */
    List<String> leasePlan() throws SQLException, ReflectiveOperationException {
        Field field = Class.forName("dev.verist.storage.pg.internal.OutboxSql").getDeclaredField("LEASE");
        field.setAccessible(true);
        String lease = (String) field.get(null);
        List<String> plan = new ArrayList<>();
        admin.setAutoCommit(false);
        try (PreparedStatement ps = admin.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + lease)) {
            int i = 1;
            for (int k = 0; k < 4; k++) {
                ps.setInt(i++, Worker.DRAIN_BATCH);
            }
            ps.setString(i++, "explain");
            ps.setLong(i, 30_000_000L);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
        } finally {
            admin.rollback();
            admin.setAutoCommit(true);
        }
        return plan;
    }

    /** The process id of the server backend that serves the set-up's connection. */
    long backendPid() throws SQLException {
        return count("SELECT pg_backend_pid()");
    }

    /** The current version of every prefilled run, indexed by run number (index 0 unused). */
    int[] versions() throws SQLException {
        int[] versions = new int[options.runs + 1];
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT substr(run_id, 3)::int, version FROM verist_state WHERE workflow_id = 'bench' AND run_id ~ '^r-[0-9]+$'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int n = rs.getInt(1);
                if (n >= 1 && n <= options.runs) {
                    versions[n] = rs.getInt(2);
                }
            }
        }
        for (int n = 1; n <= options.runs; n++) {
            if (versions[n] == 0) {
                throw new IllegalStateException("run r-" + n + " is missing from verist_state");
            }
        }
        return versions;
    }

    /** Rows per outbox status, e.g. {@code pending=..., dispatched=...}. */
    String outboxStatusCounts() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, count(*) FROM verist_outbox GROUP BY status ORDER BY status")) {
            while (rs.next()) {
                sb.append(sb.length() == 0 ? "" : " ").append(rs.getString(1)).append('=').append(rs.getLong(2));
            }
        }
        return sb.toString();
    }

    /** Deletes every outbox row. */
    void clearOutbox() throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("DELETE FROM verist_outbox");
        }
    }

    long count(String sql) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Drops the harness's database unless --keep-db. */
    void drop() throws SQLException {
        close();
        if (options.keepDb) {
            return;
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + options.db);
        }
    }

    @Override
    public void close() throws SQLException {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    private String ddl() {
        if (options.schema == null) {
            return PgSchema.ddl();
        }
        try {
            return Files.readString(options.schema, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading schema " + options.schema, e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", options.user);
        if (!options.password.isEmpty()) {
            p.setProperty("password", options.password);
        }
        return DriverManager.getConnection(options.jdbcUrl(database), p);
    }
}
