package dev.verist.storage.pg.failover;

import static dev.verist.storage.pg.dispatch.scenarios.Awaits.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.RunState;
import dev.verist.storage.StorageException;
import dev.verist.storage.pg.PgRunStore;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store over a primary and its synchronous standby ({@link PrimaryStandbyPair}) while the primary crashes
 * and the standby is promoted: the same store object and pool ride through, every commit the store
 * acknowledged is on the new primary, what fails during the switch is a retryable {@code CONNECTION_ERROR}, and
 * commits repeated with their commit ids land exactly once.
 * Each test has a pair of its own; the pool is the one the README recommends ({@link RecommendedPool}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailoverTest {

    private static final String WORKFLOW = "failover";
    private static final int WORKERS = 4;
    private static final int RUNS_PER_WORKER = 3;
    /** Acknowledged commits before the primary is killed: the crash comes mid-load. */
    private static final int COMMITS_BEFORE_CRASH = 200;
    /**
     * How long the multi-host URL has no primary at all before the standby is promoted: longer than the pool's
     * connection timeout, so that calls also fail for want of a primary, not only on the connections the crash
     * cut. A real switch takes seconds to tens of seconds (an orchestrator's leader TTL).
     */
    private static final long OUTAGE_MILLIS = 6_000;
    /** The bound within which commits must succeed again after the promotion. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(30);
    /** Acknowledged commits after the switch, before the workers stop. */
    private static final int COMMITS_AFTER_RESUME = 200;

    private static final List<PrimaryStandbyPair> OPEN = Collections.synchronizedList(new ArrayList<>());

    private PrimaryStandbyPair pair;

    @BeforeEach
    void startPair() throws Exception {
        pair = PrimaryStandbyPair.start();
        OPEN.add(pair);
        try (Connection c = DriverManager.getConnection(pair.primaryUrl(), pair.user(), "");
             Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of("schema.sql")));
        }
    }

    @AfterEach
    void stopPair() {
        if (pair != null) {
            OPEN.remove(pair);
            pair.close();
        }
    }

    /** Whatever a failed set-up or tear-down left running (the shutdown hook is the last resort). */
    @AfterAll
    static void stopEveryPair() {
        List<PrimaryStandbyPair> left;
        synchronized (OPEN) {
            left = new ArrayList<>(OPEN);
            OPEN.clear();
        }
        left.forEach(PrimaryStandbyPair::close);
    }

    @Test
    void storeResumesOnThePromotedStandbyWithEveryAcknowledgedCommitAndEachRetriedCommitLandedOnce() throws Exception {
        Load load;
        try (HikariDataSource pool = RecommendedPool.over(pair.jdbcUrl(), pair.user(), WORKERS);
             PgRunStore store = PgRunStore.create(pool)) {
            load = new Load(store);
            load.start();
            try {
                awaitTrue("commits before the crash", () -> load.acknowledged() >= COMMITS_BEFORE_CRASH,
                        Duration.ofSeconds(30));
                assertThat(load.errors).as("errors before the crash").isEmpty();

                load.crashAt = System.nanoTime();
                pair.killPrimary();
                load.killedAt = System.nanoTime();
                Thread.sleep(OUTAGE_MILLIS);
                pair.promoteStandby();
                load.promotedAt = System.nanoTime();

                int atPromotion = load.acknowledged();
                awaitTrue("a commit after the promotion", () -> load.acknowledgedAfterCrash() > 0, RESUME_BOUND);
                awaitTrue("every worker committing again", () -> load.workersResumed() == WORKERS, RESUME_BOUND);
                awaitTrue("commits after the switch",
                        () -> load.acknowledged() >= atPromotion + COMMITS_AFTER_RESUME, Duration.ofSeconds(30));
            } finally {
                load.stop();
            }
        }
        load.report();

        // Every failure was the switch's, and said so.
        assertThat(load.unexpected).as("failures other than retryable connection errors").isEmpty();
        assertThat(load.errors).as("errors during the switch").isNotEmpty().allSatisfy(e -> {
            assertThat(e.failure.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
            assertThat(e.failure.retryable()).as("retryable: " + e.failure.getMessage()).isTrue();
            assertThat(e.at).isGreaterThanOrEqualTo(load.crashAt);
        });
        // Both ways the switch shows: connections the crash cut, and no node accepting writes to connect to.
        assertThat(load.sqlStates().keySet()).as("SQLSTATEs of the errors").contains("08001")
                .containsAnyOf("08006", "57P01");
        assertThat(load.resumedAt - load.promotedAt).as("nanoseconds from the promotion to a commit")
                .isLessThan(RESUME_BOUND.toNanos());

        // On the new primary, directly: every acknowledged commit, with its event, and nothing half-written.
        Map<String, Integer> versions = new HashMap<>();
        Map<String, Integer> outputs = new HashMap<>();
        Map<String, Set<Integer>> eventVersions = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pair.standbyUrl(), pair.user(), "")) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT run_id, version, (computed->>'n')::int FROM verist_state WHERE workflow_id = ?")) {
                s.setString(1, WORKFLOW);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getInt(2));
                        outputs.put(rs.getString(1), rs.getInt(3));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT run_id, (payload->>'version')::int FROM verist_events WHERE workflow_id = ?")) {
                s.setString(1, WORKFLOW);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Set<Integer> seen = eventVersions.computeIfAbsent(rs.getString(1), r -> new TreeSet<>());
                        assertThat(seen.add(rs.getInt(2))).as("one event per version of " + rs.getString(1)).isTrue();
                    }
                }
            }
        }
        assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(load.acked.keySet());
        System.out.printf("Failover: %d commits on the new primary%n",
                versions.values().stream().mapToInt(Integer::intValue).sum());
        load.acked.forEach((run, acked) -> {
            int version = versions.get(run);
            // With commit ids every logical commit landed exactly once, and each was acknowledged: the stored
            // versions are the acknowledged ones, no more, no fewer.
            assertThat(acked).as("acknowledged versions of " + run).hasSize(version).first().isEqualTo(1);
            assertThat(acked.last()).as("version of " + run).isEqualTo(version);
            assertThat(outputs.get(run)).as("output of " + run).isEqualTo(version);
            assertThat(eventVersions.get(run)).as("events of " + run).containsExactlyElementsOf(acked);
        });
    }

    @Test
    void aStandbyRefusesCommitsAsRetryableReadOnlyConnectionErrorsAndServesLoads() throws Exception {
        RunState created;
        try (HikariDataSource primaryPool = RecommendedPool.over(pair.primaryUrl(), pair.user(), 1);
             PgRunStore primary = PgRunStore.create(primaryPool)) {
            created = primary.commit(Commit.builder(WORKFLOW, "r", "create").output(Map.of("n", 1))
                    .event(AuditEvent.of("committed", Map.of("version", 1))).build());
        }

        try (HikariDataSource standbyPool = RecommendedPool.over(pair.standbyUrl(), pair.user(), 1);
             PgRunStore standby = PgRunStore.create(standbyPool)) {
            // Synchronous commit waits for the standby's flush; replay follows a moment later.
            awaitTrue("the run replayed on the standby", () -> standby.load(WORKFLOW, "r").isPresent(),
                    Duration.ofSeconds(10));
            assertThat(standby.load(WORKFLOW, "r")).contains(created);

            for (Commit refused : List.of(
                    Commit.builder(WORKFLOW, "r", "update").expectedVersion(1).output(Map.of("n", 2)).build(),
                    Commit.builder(WORKFLOW, "other", "create").output(Map.of("n", 1)).build())) {
                assertThatThrownBy(() -> standby.commit(refused))
                        .isExactlyInstanceOf(StorageException.class)
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.sqlState()).hasValue("25006");
                            assertThat(e.getMessage()).contains("cannot execute", "in a read-only transaction");
                        });
            }
            assertThat(standby.load(WORKFLOW, "r")).contains(created);
            assertThat(standby.load(WORKFLOW, "other")).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ the load

    /** A failure a worker met, and when. */
    private record Failure(long at, StorageException failure) {
    }

    /**
     * {@link #WORKERS} threads, each committing in turn to runs of its own, through one store. A worker knows a
     * run's version only from what the store returned, and repeats a commit that failed with its commit id until
     * it is acknowledged (it may have landed without its acknowledgement). Every commit writes
     * {@code n = version} and one event naming its version.
     */
    private static final class Load {
        private final PgRunStore store;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicInteger acknowledgedAfterCrash = new AtomicInteger();
        private final Set<Integer> workersResumed = new ConcurrentSkipListSet<>();
        private final AtomicInteger retries = new AtomicInteger();
        /** Per run, every version whose commit the store acknowledged. */
        final Map<String, ConcurrentSkipListSet<Integer>> acked = new ConcurrentHashMap<>();
        final List<Failure> errors = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        /** When the kill was asked for, and when the primary was gone: a call begun after that needs the new one. */
        volatile long crashAt = Long.MAX_VALUE;
        volatile long killedAt = Long.MAX_VALUE;
        volatile long promotedAt;
        /** When the first commit begun after the kill was acknowledged. */
        volatile long resumedAt;
        private long startedAt;

        Load(PgRunStore store) {
            this.store = store;
        }

        void start() {
            startedAt = System.nanoTime();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                Thread thread = new Thread(() -> work(worker), "failover-worker-" + w);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).as(thread.getName() + " stopped").isFalse();
            }
        }

        int acknowledged() {
            return acknowledged.get();
        }

        int acknowledgedAfterCrash() {
            return acknowledgedAfterCrash.get();
        }

        int workersResumed() {
            return workersResumed.size();
        }

        private void work(int worker) {
            try {
                Map<String, Integer> known = new TreeMap<>();
                for (int r = 0; r < RUNS_PER_WORKER; r++) {
                    String run = "w" + worker + "-r" + r;
                    acked.put(run, new ConcurrentSkipListSet<>());
                    known.put(run, commitOnce(worker, run, 0));
                }
                List<String> runs = new ArrayList<>(known.keySet());
                for (long i = 0; running.get(); i++) {
                    String run = runs.get((int) (i % runs.size()));
                    known.put(run, commitOnce(worker, run, known.get(run)));
                }
            } catch (Throwable e) {
                unexpected.add(e);
            }
        }

        // The commit of the run's next version, repeated with its commit id after every retryable failure (as
        // Retry.commit does, but seeing each failure) until the store acknowledges it; returns its version.
        private int commitOnce(int worker, String run, int version) throws InterruptedException {
            int next = version + 1;
            Commit commit = Commit.builder(WORKFLOW, run, version == 0 ? "create" : "step").expectedVersion(version)
                    .commitId(run + "/" + next).output(Map.of("n", next))
                    .event(AuditEvent.of("committed", Map.of("version", next))).build();
            long started = System.nanoTime();
            while (true) {
                try {
                    RunState state = store.commit(commit);
                    acknowledge(worker, run, state, started);
                    return state.version();
                } catch (StorageException e) {
                    if (e.code() != ErrorCode.CONNECTION_ERROR || !e.retryable()) {
                        throw e; // a conflict here would be a retry that met its own first landing
                    }
                    errors.add(new Failure(System.nanoTime(), e));
                    retries.incrementAndGet();
                    Thread.sleep(20);
                }
            }
        }

        private synchronized void acknowledge(int worker, String run, RunState state, long started) {
            acked.get(run).add(state.version());
            acknowledged.incrementAndGet();
            if (started > killedAt) {
                if (acknowledgedAfterCrash.getAndIncrement() == 0) {
                    resumedAt = System.nanoTime();
                }
                workersResumed.add(worker);
            }
        }

        /** How many errors had each SQLSTATE ("none": no SQLSTATE). */
        Map<String, Integer> sqlStates() {
            Map<String, Integer> byState = new TreeMap<>();
            synchronized (errors) {
                errors.forEach(e -> byState.merge(e.failure.sqlState().orElse("none"), 1, Integer::sum));
            }
            return byState;
        }

        void report() {
            Map<String, Integer> byState = sqlStates();
            Map<String, String> firstMessages = new TreeMap<>();
            synchronized (errors) {
                errors.forEach(e -> firstMessages.putIfAbsent(e.failure.sqlState().orElse("none"),
                        e.failure.getMessage()));
            }
            System.out.printf("Failover: %d commits acknowledged (%d after the crash), %d errors during the switch"
                            + " by SQLSTATE %s, %d retries; crash at %.2f s, promoted %.2f s later, first commit"
                            + " %.2f s after the promotion (%.2f s after the crash); first errors: %s%n",
                    acknowledged.get(), acknowledgedAfterCrash.get(), errors.size(), byState, retries.get(),
                    seconds(crashAt - startedAt), seconds(promotedAt - crashAt), seconds(resumedAt - promotedAt),
                    seconds(resumedAt - crashAt),
                    firstMessages);
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }
}
