import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.PgRunStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start of a Java SE store, in a fresh JVM: PgRunStore.create over a started pool, the first commit, and the
 * first 1,000 commits (creates of new runs, one step each, with an event and a command); then, in the same JVM,
 * 20,000 commits unmeasured and 1,000 measured again: the warm rate the first 1,000 are compared with. Run with a
 * harness jar on the class path, so that any build of the library can be measured the same way:
 *   java -cp bench/target/verist-bench.jar bench/cold-start/ColdStart.java [jdbc-url] [schema.sql]
 * It works in a schema of its own (verist_cold_start), dropped and created first.
 */
public class ColdStart {
    public static void main(String[] args) throws Exception {
        long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres";
        String ddl = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                args.length > 1 ? args[1] : "schema.sql")));
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
            long t0 = System.nanoTime();
            PgRunStore store = PgRunStore.create(pool);
            long created = System.nanoTime();
            store.commit(commit(0));
            long first = System.nanoTime();
            for (int i = 1; i < 1000; i++) {
                store.commit(commit(i));
            }
            long thousand = System.nanoTime();
            int n = 1000;
            for (; n < 21_000; n++) {
                store.commit(commit(n));
            }
            long warmStart = System.nanoTime();
            for (; n < 22_000; n++) {
                store.commit(commit(n));
            }
            long warmEnd = System.nanoTime();
            store.close();
            double coldMs = (thousand - created) / 1e6;
            double warmMs = (warmEnd - warmStart) / 1e6;
            System.out.printf(Locale.ROOT, "cold-start jvm_to_main_ms=%d create_ms=%.1f first_commit_ms=%.1f"
                            + " first_1000_commits_ms=%.1f warm_1000_commits_ms=%.1f first_1000_rate_over_warm=%.2f%n",
                    System.currentTimeMillis() - jvmStart - (warmEnd - t0) / 1_000_000, (created - t0) / 1e6,
                    (first - created) / 1e6, coldMs, warmMs, warmMs / coldMs);
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA verist_cold_start CASCADE");
        }
    }

    private static Commit commit(int i) {
        return Commit.builder("cold", "run-" + i, "start").output(Map.of("i", i))
                .event(dev.verist.storage.AuditEvent.of("started", Map.of("i", i))).command(Command.emit("started", Map.of("i", i))).build();
    }
}
