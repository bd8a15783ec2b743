package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.Retry;
import dev.verist.storage.RunState;
import dev.verist.storage.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commits under connection faults: answers lost after the database committed (a proxy closes the connection
 * instead of passing them on) and backends terminated under load. With {@link Retry#commit} and commit ids,
 * every logical commit lands exactly once and no retry meets a conflict with its own first try.
 */
@Timeout(120)
class LostAcknowledgementTest extends StoreTest {

    private static final String APPLICATION = "verist-faults";
    private static final int WORKERS = 4;
    private static final int STEPS = 50;

    private LostAnswerProxy proxy;
    private HikariDataSource faultyPool;
    private PgRunStore faultyStore;

    @BeforeEach
    void startProxy() throws Exception {
        TestDatabase db = TestDatabase.get();
        proxy = new LostAnswerProxy(db.host(), db.port(), 0.2);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.database() + "?currentSchema=" + schema
                + "&sslmode=disable&gssEncMode=disable&ApplicationName=" + APPLICATION);
        config.setUsername(TestDatabase.get().user());
        config.setPassword(TestDatabase.get().password());
        config.setMaximumPoolSize(WORKERS);
        config.setConnectionTimeout(5_000);
        faultyPool = new HikariDataSource(config);
        faultyStore = PgRunStore.create(faultyPool);
    }

    @AfterEach
    void stopProxy() throws Exception {
        faultyStore.close();
        faultyPool.close();
        proxy.close();
    }

    @Test
    void underLostAnswersAndKilledBackendsEveryCommitRetriedWithItsIdLandsExactlyOnce() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger killed = new AtomicInteger();
        Thread killer = new Thread(() -> {
            while (running.get()) {
                // A backend at work: its statement or transaction is cut short.
                killed.addAndGet(tables.rows("SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity"
                        + " WHERE application_name = ? AND state <> 'idle' ORDER BY random() LIMIT 1", APPLICATION)
                        .size());
                sleep(100);
            }
        });
        killer.start();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<List<Integer>>> acknowledged = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                String run = "run-" + w;
                acknowledged.add(workers.submit(() -> commitSteps(run)));
            }
            for (int w = 0; w < WORKERS; w++) {
                // Each logical commit was acknowledged once, with the version it produced.
                assertThat(acknowledged.get(w).get(90, TimeUnit.SECONDS)).as("run-" + w)
                        .containsExactlyElementsOf(versions(1, STEPS + 1));
            }
        } finally {
            running.set(false);
            killer.join();
            workers.shutdownNow();
        }

        assertThat(proxy.lost()).as("answers lost after the database committed").isPositive();
        assertThat(killed.get()).as("backends terminated").isPositive();
        for (int w = 0; w < WORKERS; w++) {
            String run = "run-" + w;
            assertThat(store.load("wf", run)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(STEPS + 1));
            assertThat(tables.rows("SELECT count(*) AS n FROM verist_events WHERE run_id = ?", run))
                    .singleElement().satisfies(row -> assertThat(row.get("n")).isEqualTo(2L * STEPS));
            assertThat(tables.rows("SELECT count(*) AS n FROM verist_outbox WHERE run_id = ?", run))
                    .singleElement().satisfies(row -> assertThat(row.get("n")).isEqualTo((long) STEPS / 5));
            assertThat(tables.rows("SELECT count(*) AS n FROM verist_commits WHERE run_id = ?", run))
                    .singleElement().satisfies(row -> assertThat(row.get("n")).isEqualTo(STEPS + 1L));
        }
    }

    @Test
    void withoutACommitIdTheRetryOfACommitWhoseAnswerWasLostIsAVersionMismatch() {
        store.commit(Commit.builder("wf", "r", "create").build());
        int mismatches = 0;
        int version = 1;
        for (int step = 1; step <= 40; step++) {
            Commit commit = Commit.builder("wf", "r", "step-" + step).expectedVersion(version).build();
            while (true) {
                try {
                    version = faultyStore.commit(commit).version();
                    break;
                } catch (ConflictException e) {
                    assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH);
                    mismatches++; // it had landed: the caller cannot tell that from someone else's commit
                    version = store.load("wf", "r").orElseThrow().version();
                    break;
                } catch (StorageException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                    assertThat(e.retryable()).isTrue();
                }
            }
        }
        assertThat(mismatches).isPositive().isLessThanOrEqualTo(proxy.lost());
    }

    // Creates the run, then commits STEPS updates, each with Retry and an id of its own; returns the versions
    // the store acknowledged, in order.
    private List<Integer> commitSteps(String run) {
        List<Integer> versions = new ArrayList<>();
        RunState state = Retry.commit(faultyStore, Commit.builder("wf", run, "create").commitId("create")
                .output(Map.of("step", 0)).build(), 30, Duration.ofMillis(1));
        versions.add(state.version());
        for (int step = 1; step <= STEPS; step++) {
            Commit.Builder commit = Commit.builder("wf", run, "step-" + step).expectedVersion(state.version())
                    .commitId(run + "/step-" + step).output(Map.of("step", step))
                    .event(AuditEvent.of("started")).event(AuditEvent.of("completed", Map.of("step", step)));
            if (step % 5 == 0) {
                commit.command(Command.invoke("next", Map.of("step", step)));
            }
            state = Retry.commit(faultyStore, commit.build(), 30, Duration.ofMillis(1));
            versions.add(state.version());
        }
        return versions;
    }

    private static List<Integer> versions(int from, int to) {
        List<Integer> all = new ArrayList<>();
        for (int v = from; v <= to; v++) {
            all.add(v);
        }
        return all;
    }
}
