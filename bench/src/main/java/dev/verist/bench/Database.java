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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Set-up outside the timed windows, in plain SQL on its own connection, as floor.sh does it: the harness's own
 * database (dropped and created), the schema, the prefilled runs, the drain's pending outbox rows and, with
 * {@code --scale}, the runs and events of a large store besides them.
 */
final class Database implements AutoCloseable {

    /** The workflow of the runs and events {@code --scale} adds; the workloads use {@link Worker#WORKFLOW}. */
    static final String SCALE_WORKFLOW = "scale";

    private final Options options;
    private Connection admin;
    private long refills;
    private boolean scaleKept;

    Database(Options options) {
        this.options = options;
    }

    /**
     * Drops and creates the harness's database, applies the schema and prefills runs r-1..r-N at version 1. With
     * {@code --scale}, a database that already holds exactly that scale (kept by an earlier run) is kept instead:
     * the rows of every other workflow are deleted before the prefill, so the workloads meet the tables of a new
     * database plus the scale. Returns a note on what was found when that is worth printing, else null.
     */
    String create(Payloads payloads) throws SQLException {
        String note = null;
        long[] found = options.scaleRuns > 0 ? scaleFound() : null;
        scaleKept = found != null && found[0] == options.scaleRuns && found[1] == options.scaleEvents;
        if (scaleKept) {
            note = "database " + options.db + " holds the scale, kept";
        } else {
            if (found != null) {
                note = String.format(Locale.ROOT, "database %s held %d scale runs and %d events, not %d and %d: built anew",
                        options.db, found[0], found[1], options.scaleRuns, options.scaleEvents);
            }
            try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + options.db);
                s.execute("CREATE DATABASE " + options.db);
            }
        }
        admin = connect(options.db);
        try (Statement s = admin.createStatement()) {
            s.execute(ddl());
        }
        if (scaleKept) {
            long t0 = System.nanoTime();
            deleteAllButScale();
            note += String.format(Locale.ROOT, ", the other workflows' rows deleted in %.1f s", (System.nanoTime() - t0) / 1e9);
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
        checkpoint(); // the set-up's writes go to disk now, not during the first windows
        return note;
    }

    // Not allowed for every user (PostgreSQL 15: superuser or pg_checkpoint): then written back later.
    private void checkpoint() {
        try (Statement s = admin.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            // left to the server's own checkpoints
        }
    }

    // The scale runs and events in the database (null when there is no such database or no schema in it).
    private long[] scaleFound() throws SQLException {
        try (Connection c = connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, options.db);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
            }
        }
        try (Connection c = connect(options.db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('verist_state') IS NOT NULL"
                    + " AND to_regclass('verist_events') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
            long[] found = new long[2];
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM verist_state WHERE workflow_id = '"
                    + SCALE_WORKFLOW + "'), (SELECT count(*) FROM verist_events WHERE workflow_id = '" + SCALE_WORKFLOW + "')")) {
                rs.next();
                found[0] = rs.getLong(1);
                found[1] = rs.getLong(2);
            }
            return found;
        }
    }

    // A kept scaled database: the outbox, commits and blocks hold nothing of the scale and are emptied; the state
    // and events of every other workflow are deleted (the workflow ranges either side of the scale's, so that the
    // primary key and the run index find them). verist_events is append-only: the rule is lifted for the one
    // transaction that deletes, as schema.sql describes for retention.
    private void deleteAllButScale() throws SQLException {
        String others = "(workflow_id < '" + SCALE_WORKFLOW + "' OR workflow_id > '" + SCALE_WORKFLOW + "')";
        try (Statement s = admin.createStatement()) {
            for (String table : List.of("verist_outbox", "verist_commits", "verist_blocks")) {
                if (count("SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + table + "')") > 0) {
                    s.execute("TRUNCATE " + table);
                }
            }
            s.execute("DELETE FROM verist_state WHERE " + others);
            admin.setAutoCommit(false);
            try {
                s.execute("ALTER TABLE verist_events DISABLE TRIGGER verist_events_append_only");
                s.execute("DELETE FROM verist_events WHERE " + others);
                s.execute("ALTER TABLE verist_events ENABLE TRIGGER verist_events_append_only");
                admin.commit();
            } catch (SQLException e) {
                admin.rollback();
                throw e;
            } finally {
                admin.setAutoCommit(true);
            }
            // So that the prefill takes the space the deleted rows leave rather than growing the tables.
            s.execute("VACUUM verist_state");
            s.execute("VACUUM ANALYZE verist_events");
        }
    }

    /**
     * {@code --scale RUNS,EVENTS}: runs s-1..s-RUNS of workflow {@value #SCALE_WORKFLOW} and EVENTS events spread
     * over them, unless the database was kept with them ({@link #create}). Event g belongs to run (g - 1) mod RUNS
     * + 1, so the runs advance side by side as concurrent runs do and a run's events lie apart in the table; a
     * run's events are the pairs step_started, step_completed of its commits (extract, then verify), with the
     * event payload, ids and times in one order over the last 30 days. A run's version is its number of commits
     * (at least 1) and its state the create output, merged with the update output when it was updated, as the
     * create and update workloads leave them. Both tables are then vacuumed and analysed, and a checkpoint writes
     * the build back before the first window. Returns the "# scale ..." line.
     */
    String ensureScale(Payloads payloads) throws SQLException {
        long t0 = System.nanoTime();
        String parts = " (kept from an earlier run)";
        if (!scaleKept) {
            int runs = options.scaleRuns;
            int events = options.scaleEvents;
            int perRun = events / runs;
            int extra = events % runs; // runs 1..extra hold one event more
            // Event g at since + g * step (microseconds): all of them within the last 30 days, a run's creation at
            // its first event's time and its last update at its last event's.
            OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
            double step = 30 * 86_400e6 / Math.max(runs, events);
            try (PreparedStatement ps = admin.prepareStatement("""
                    INSERT INTO verist_state (workflow_id, run_id, version, computed, overlay, created_at, updated_at)
                      SELECT '%s', 's-' || g, r.version, CASE WHEN r.version = 1 THEN p.created ELSE p.updated END, '{}',
                             p.since + g * p.step, p.since + (g + greatest(r.events - 1, 0)::bigint * ?) * p.step
                      FROM (SELECT ?::jsonb AS created, ?::jsonb || ?::jsonb AS updated,
                                   ?::timestamptz AS since, ? * interval '1 microsecond' AS step) p,
                           generate_series(1, ?) g,
                           LATERAL (SELECT ? + (g <= ?)::int AS events) e,
                           LATERAL (SELECT e.events, greatest(1, (e.events + 1) / 2) AS version) r"""
                    .formatted(SCALE_WORKFLOW))) {
                int i = 1;
                ps.setInt(i++, runs);
                ps.setString(i++, payloads.createOutputJson);
                ps.setString(i++, payloads.createOutputJson);
                ps.setString(i++, payloads.updateOutputJson);
                ps.setObject(i++, since);
                ps.setDouble(i++, step);
                ps.setInt(i++, runs);
                ps.setInt(i++, perRun);
                ps.setInt(i, extra);
                ps.executeUpdate();
            }
            long t1 = System.nanoTime();
            try (PreparedStatement ps = admin.prepareStatement("""
                    INSERT INTO verist_events (workflow_id, run_id, step_id, type, payload, created_at)
                      SELECT '%s', 's-' || ((g - 1) %% ? + 1),
                             CASE WHEN (g - 1) / ? < 2 THEN 'extract' ELSE 'verify' END,
                             CASE WHEN (g - 1) / ? %% 2 = 0 THEN 'step_started' ELSE 'step_completed' END,
                             p.payload, p.since + g * p.step
                      FROM (SELECT ?::jsonb AS payload, ?::timestamptz AS since, ? * interval '1 microsecond' AS step) p,
                           generate_series(1, ?) g"""
                    .formatted(SCALE_WORKFLOW))) {
                int i = 1;
                ps.setInt(i++, runs);
                ps.setInt(i++, runs);
                ps.setInt(i++, runs);
                ps.setString(i++, payloads.eventPayloadJson);
                ps.setObject(i++, since);
                ps.setDouble(i++, step);
                ps.setInt(i, events);
                ps.executeUpdate();
            }
            long t2 = System.nanoTime();
            try (Statement s = admin.createStatement()) {
                s.execute("VACUUM ANALYZE verist_state");
                s.execute("VACUUM ANALYZE verist_events");
            }
            checkpoint();
            parts = String.format(Locale.ROOT, " (state %.1f s, events %.1f s, vacuum and checkpoint %.1f s)",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
        }
        double seconds = scaleKept ? 0 : (System.nanoTime() - t0) / 1e9;
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('verist_state'),"
                     + " pg_total_relation_size('verist_events'), pg_total_relation_size('verist_outbox')")) {
            rs.next();
            return String.format(Locale.ROOT, "# scale runs=%d events=%d build_s=%.1f state_mb=%.1f events_mb=%.1f"
                            + " outbox_mb=%.1f%s", options.scaleRuns, options.scaleEvents, seconds,
                    rs.getLong(1) / 1048576.0, rs.getLong(2) / 1048576.0, rs.getLong(3) / 1048576.0, parts);
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
