import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.PgRunStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Cold start in a fresh JVM: PgRunStore.create over a started pool, the first commit, and the first 1,000 commits
 * (creates of new runs, one step each, with an event and a command); then, in the same JVM, 20,000 commits
 * unmeasured and 1,000 measured again: the warm rate the first 1,000 are compared with; with the calling thread's
 * CPU time over both (create included in the first), which the database's own pace does not move. Mode "jdbc" writes the same
 * three rows per commit with plain JDBC (three prepared statements and a commit on a pooled connection): the cold
 * start of the driver and the JVM alone, to hold the store's against. Run with a harness jar on the class path, so
 * that any build of the library can be measured the same way:
 *   java -cp bench/target/verist-bench.jar bench/cold-start/ColdStart.java [jdbc-url] [schema.sql] [store|jdbc]
 * It works in a schema of its own (verist_cold_start), dropped and created first.
 */
public class ColdStart {

    /** One way of committing a new run. */
    interface Writer extends AutoCloseable {
        void commit(int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres";
        String ddl = Files.readString(Path.of(args.length > 1 ? args[1] : "schema.sql"));
        String mode = args.length > 2 ? args[2] : "store";
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS verist_cold_start CASCADE");
            s.execute("CREATE SCHEMA verist_cold_start");
            s.execute("SET search_path TO verist_cold_start");
            s.execute(ddl);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=verist_cold_start");
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            Writer writer = mode.equals("jdbc") ? new JdbcWriter(pool) : new StoreWriter(PgRunStore.create(pool));
            long created = System.nanoTime();
            writer.commit(0);
            long first = System.nanoTime();
            int n = 1;
            for (; n < 1000; n++) {
                writer.commit(n);
            }
            long thousand = System.nanoTime();
            long cpuThousand = threads.getCurrentThreadCpuTime();
            for (; n < 21_000; n++) {
                writer.commit(n);
            }
            long warmStart = System.nanoTime();
            long cpuWarmStart = threads.getCurrentThreadCpuTime();
            for (; n < 22_000; n++) {
                writer.commit(n);
            }
            long warmEnd = System.nanoTime();
            long cpuWarmEnd = threads.getCurrentThreadCpuTime();
            writer.close();
            double coldMs = (thousand - created) / 1e6;
            double warmMs = (warmEnd - warmStart) / 1e6;
            System.out.printf(Locale.ROOT, "cold-start mode=%s create_ms=%.1f first_commit_ms=%.1f"
                            + " first_1000_commits_ms=%.1f warm_1000_commits_ms=%.1f first_1000_rate_over_warm=%.2f"
                            + " first_1000_cpu_ms=%.1f warm_1000_cpu_ms=%.1f%n",
                    mode, (created - t0) / 1e6, (first - created) / 1e6, coldMs, warmMs, warmMs / coldMs,
                    (cpuThousand - cpu0) / 1e6, (cpuWarmEnd - cpuWarmStart) / 1e6);
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA verist_cold_start CASCADE");
        }
    }

    /** Through the store: one commit call per run. */
    record StoreWriter(PgRunStore store) implements Writer {
        @Override
        public void commit(int i) {
            store.commit(Commit.builder("cold", "run-" + i, "start").output(Map.of("i", i))
                    .event(AuditEvent.of("started", Map.of("i", i)))
                    .command(Command.emit("started", Map.of("i", i))).build());
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** The same rows with plain JDBC; the dedupe key is the run's id, as nothing here hashes. */
    record JdbcWriter(DataSource pool) implements Writer {
        @Override
        public void commit(int i) throws SQLException {
            String run = "run-" + i;
            String json = "{\"i\":" + i + "}";
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement state = c.prepareStatement("INSERT INTO verist_state (workflow_id, run_id,"
                        + " version, computed, overlay, created_at, updated_at) VALUES ('cold', ?, 1, ?::jsonb, '{}',"
                        + " now(), now())");
                     PreparedStatement event = c.prepareStatement("INSERT INTO verist_events (workflow_id, run_id,"
                        + " step_id, type, payload, created_at) VALUES ('cold', ?, 'start', 'started', ?::jsonb, now())");
                     PreparedStatement outbox = c.prepareStatement("INSERT INTO verist_outbox (workflow_id, run_id,"
                        + " step_id, dedupe_key, command, status, created_at) VALUES ('cold', ?, 'start', ?, ?::jsonb,"
                        + " 'pending', now())")) {
                    state.setString(1, run);
                    state.setString(2, json);
                    state.executeUpdate();
                    event.setString(1, run);
                    event.setString(2, json);
                    event.executeUpdate();
                    outbox.setString(1, run);
                    outbox.setString(2, run);
                    outbox.setString(3, "{\"type\":\"emit\",\"topic\":\"started\",\"payload\":" + json + "}");
                    outbox.executeUpdate();
                }
                c.commit();
            }
        }

        @Override
        public void close() {
        }
    }
}
