package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races against the real database. Every wait is bounded. */
@Timeout(180)
@StoreContract
class ConcurrencyTest extends StoreTest {

    private static final long WAIT_SECONDS = 60;

    /** What one racer did: its value, or the exception it threw. */
    record Outcome<T>(int racer, T value, Throwable error) {
        boolean won() {
            return error == null;
        }
    }

    @Test
    void sixteenRacersRepeatingOneCreateWithItsCommitIdAllGetItsResultAndItIsWrittenOnce() throws Exception {
        assertThat(store.load("wf", "warm-up")).isEmpty();
        Commit create = Commit.builder("wf", "r", "create").commitId("create-1").output(Map.of("a", 1))
                .event(AuditEvent.of("created")).command(Command.invoke("next", Map.of("n", 1))).build();

        raceRepeating(create, 1);

        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
    }

    @Test
    void sixteenRacersRepeatingOneUpdateWithItsCommitIdAllGetItsVersionAndItIsWrittenOnce() throws Exception {
        store.commit(Commit.builder("wf", "r", "create").output(Map.of("a", 1)).build());
        Commit update = Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("verify-1")
                .output(Map.of("b", 2)).event(AuditEvent.of("verified"))
                .command(Command.review("check", Map.of("b", 2))).command(Command.invoke("pay", null)).build();

        raceRepeating(update, 2);

        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=1");
    }

    @Test
    void sixteenConcurrentCreatorsOneWinsTheOthersGetRunExistsAndOnlyTheWinnersWritesRemain() throws Exception {
        // Every wiring lets the store use Wiring.POOL_SIZE connections, so all sixteen race at once.
        assertThat(store.load("wf", "warm-up")).isEmpty(); // boot the factory and pool before the race

        List<Outcome<RunState>> outcomes = race(16, i -> store.commit(Commit.builder("wf", "r", "create")
                .output(Map.of("creator", i))
                .event(AuditEvent.of("created", Map.of("by", i)))
                .command(Command.invoke("next", Map.of("by", i)))
                .build()));

        List<Outcome<RunState>> winners = outcomes.stream().filter(Outcome::won).toList();
        assertThat(winners).as(outcomes.toString()).hasSize(1);
        int winner = winners.get(0).racer();
        assertThat(winners.get(0).value().version()).isEqualTo(1);
        assertThat(outcomes.stream().filter(o -> !o.won()).toList()).hasSize(15).allSatisfy(o ->
                assertThat(o.error()).isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS)));

        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
        assertThat(tables.bool("SELECT version = 1 AND computed = jsonb_build_object('creator', ?::int)"
                + " FROM verist_state", winner)).isTrue();
        assertThat(tables.bool("SELECT payload = jsonb_build_object('by', ?::int) FROM verist_events", winner)).isTrue();
        assertThat(tables.bool("SELECT command -> 'input' = jsonb_build_object('by', ?::int) AND status = 'pending'"
                + " FROM verist_outbox", winner)).isTrue();
    }

    @Test
    void eightConcurrentUpdatersOfOneVersionOneWinsTheOthersGetVersionMismatch() throws Exception {
        store.commit(Commit.builder("wf", "r", "create").output(Map.of("start", true)).build());

        List<Outcome<RunState>> outcomes = race(8, i -> store.commit(Commit.builder("wf", "r", "update-" + i)
                .expectedVersion(1)
                .output(Map.of("updater", i))
                .event(AuditEvent.of("updated", Map.of("by", i)))
                .command(Command.emit("updated", Map.of("by", i)))
                .build()));

        List<Outcome<RunState>> winners = outcomes.stream().filter(Outcome::won).toList();
        assertThat(winners).as(outcomes.toString()).hasSize(1);
        int winner = winners.get(0).racer();
        assertThat(outcomes.stream().filter(o -> !o.won()).toList()).hasSize(7).allSatisfy(o ->
                assertThat(o.error()).isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH)));

        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> {
            assertThat(s.version()).isEqualTo(2);
            assertThat(s.computed()).isEqualTo(Map.of("start", true, "updater", winner));
        });
        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
        assertThat(tables.all("verist_events")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("step_id", "update-" + winner));
        assertThat(tables.all("verist_outbox")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("step_id", "update-" + winner));
    }

    @Test
    void fourConcurrentDispatchersLeaseEveryRowExactlyOnce() throws Exception {
        drainWithFourDispatchers(false);
    }

    @Test
    void fourConcurrentDispatchersFinalisingBatchesDispatchEveryRowExactlyOnce() throws Exception {
        drainWithFourDispatchers(true);
    }

    private void drainWithFourDispatchers(boolean inBatches) throws Exception {
        commitTwoThousandEmits();
        assertThat(tables.bool("SELECT count(*) = 2000 AND bool_and(status = 'pending') FROM verist_outbox")).isTrue();

        Map<String, String> leasedBy = new ConcurrentHashMap<>();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        List<Outcome<Integer>> outcomes = race(4, i -> {
            String owner = "dispatcher-" + i;
            int count = 0;
            for (int round = 0; round < 2_000; round++) {
                List<OutboxEntry> batch = store.leaseOutbox(owner, 50);
                if (batch.isEmpty()) {
                    return count;
                }
                for (OutboxEntry entry : batch) {
                    if (leasedBy.putIfAbsent(entry.id(), owner) != null) {
                        duplicates.add(entry.id());
                    }
                    if (!inBatches) {
                        store.markDispatched(entry.id(), owner);
                    }
                    count++;
                }
                if (inBatches) {
                    store.markDispatched(batch.stream().map(OutboxEntry::id).toList(), owner);
                }
            }
            throw new IllegalStateException(owner + " never ran out of rows");
        });

        assertThat(outcomes).as(outcomes.toString()).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(duplicates).as("ids leased twice").isEmpty();
        assertThat(outcomes.stream().mapToInt(Outcome::value).sum()).isEqualTo(2000);
        assertThat(leasedBy).hasSize(2000);
        assertThat(tables.rows("SELECT status, count(*) AS n FROM verist_outbox GROUP BY status"))
                .containsExactly(Map.of("status", "dispatched", "n", 2000L));
        assertThat(tables.bool("SELECT bool_and(lease_owner IS NULL AND dispatched_at IS NOT NULL) FROM verist_outbox"))
                .isTrue();
    }

    @Test
    void fourDispatchersWithOneAttemptInFiveFailingEndEveryEntryDispatchedOrDeadWithinThePolicy() throws Exception {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), 1, Duration.ofMillis(1), false);
        commitTwoThousandEmits();

        Map<String, Integer> dispatched = new ConcurrentHashMap<>();
        Map<String, Integer> deadLettered = new ConcurrentHashMap<>();
        List<Outcome<Integer>> outcomes = race(4, i -> {
            String owner = "dispatcher-" + i;
            Random random = new Random(i);
            int attempts = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                List<OutboxEntry> batch = store.leaseOutbox(owner, 50);
                if (batch.isEmpty()) {
                    if (!tables.bool("SELECT count(*) > 0 FROM verist_outbox WHERE status IN ('pending', 'leased')")) {
                        return attempts;
                    }
                    LockSupport.parkNanos(2_000_000); // retries waiting for their backoff, or another's lease
                    continue;
                }
                for (OutboxEntry entry : batch) {
                    attempts++;
                    assertThat(entry.attempts()).isLessThan(policy.maxAttempts());
                    if (random.nextInt(5) == 0) {
                        if (store.markFailed(entry, "attempt " + entry.attempts() + " failed", policy)
                                == OutboxStatus.FAILED) {
                            deadLettered.merge(entry.id(), 1, Integer::sum);
                        }
                    } else {
                        store.markDispatched(entry);
                        dispatched.merge(entry.id(), 1, Integer::sum);
                    }
                }
            }
            throw new IllegalStateException(owner + " did not finish within " + WAIT_SECONDS + " s");
        });

        assertThat(outcomes).as(outcomes.toString()).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(dispatched.values()).as("entries dispatched twice").allSatisfy(n -> assertThat(n).isEqualTo(1));
        assertThat(dispatched.size() + deadLettered.size()).isEqualTo(2000);
        assertThat(tables.rows("SELECT status, count(*) AS n FROM verist_outbox GROUP BY status ORDER BY status"))
                .containsExactlyInAnyOrderElementsOf(expectedStatusCounts(dispatched.size(), deadLettered.size()));
        assertThat(tables.bool("SELECT bool_and(failures <= 3) AND bool_and(status <> 'failed' OR failures = 3)"
                + " AND bool_and(status <> 'dispatched' OR failures < 3) FROM verist_outbox")).isTrue();
        // every attempt a dispatcher made is on record: a failure counted, or the one dispatch
        Number recorded = (Number) tables.rows("SELECT sum(failures) + count(*) FILTER (WHERE status = 'dispatched')"
                + " AS n FROM verist_outbox").get(0).get("n");
        assertThat(outcomes.stream().mapToInt(Outcome::value).sum()).isEqualTo(recorded.intValue());
    }

    // 200 runs of 10 emit commands each, all pending.
    private void commitTwoThousandEmits() {
        for (int c = 0; c < 200; c++) {
            Commit.Builder builder = Commit.builder("wf", "run-" + c, "fan");
            for (int k = 0; k < 10; k++) {
                builder.command(Command.emit("topic", Map.of("commit", c, "k", k)));
            }
            store.commit(builder.build());
        }
    }

    private static List<Map<String, Object>> expectedStatusCounts(int dispatched, int failed) {
        List<Map<String, Object>> counts = new ArrayList<>();
        counts.add(Map.of("status", "dispatched", "n", (long) dispatched));
        if (failed > 0) {
            counts.add(Map.of("status", "failed", "n", (long) failed));
        }
        return counts;
    }

    @Test
    void twoConcurrentResolversOfOneSuspendBlockExactlyOneResolvesAndOneResumeRowIsWritten() throws Exception {
        for (int round = 0; round < 10; round++) {
            String run = "r" + round;
            store.commit(Commit.builder("wf", run, "s1").command(Command.suspend("wait", Map.of("round", round)))
                    .build());

            List<Outcome<Optional<ResolvedBlock>>> outcomes = race(2,
                    i -> store.resolveBlock("wf", run, Resolution.resume(Map.of("resolver", i))));

            assertThat(outcomes).as(outcomes.toString()).allSatisfy(o -> assertThat(o.error()).isNull());
            List<Outcome<Optional<ResolvedBlock>>> resolved = outcomes.stream()
                    .filter(o -> o.value().isPresent()).toList();
            assertThat(resolved).as("round %d: %s", round, outcomes).hasSize(1);
            int winner = resolved.get(0).racer();
            assertThat(resolved.get(0).value().get().resolution()).isEqualTo(Resolution.resume(Map.of("resolver", winner)));

            assertThat(tables.rows("SELECT command -> 'input' -> 'resumeData' = jsonb_build_object('resolver', ?::int)"
                    + " AS ok FROM verist_outbox WHERE run_id = ?", winner, run))
                    .as("round %d: one resume row carrying the winner's data", round)
                    .containsExactly(Map.of("ok", true));
            assertThat(tables.bool("SELECT resolution = jsonb_build_object('resumeData', jsonb_build_object('resolver', ?::int))"
                    + " AND resolved_at IS NOT NULL FROM verist_blocks WHERE run_id = ?", winner, run)).isTrue();
        }
        assertThat(tables.count("verist_outbox")).isEqualTo(10);
    }

    @Test
    void twoConcurrentReviewDecisionsOnOneBlockApplyExactlyOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            String run = "r" + round;
            store.commit(Commit.builder("wf", run, "s1").command(Command.review("look"))
                    .command(Command.invoke("next", round)).build());

            // racer 0 approves, racer 1 rejects
            List<Outcome<Optional<ResolvedBlock>>> outcomes = race(2, i -> store.resolveBlock("wf", run,
                    i == 0 ? Resolution.approve() : Resolution.reject()));

            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            List<Outcome<Optional<ResolvedBlock>>> resolved = outcomes.stream()
                    .filter(o -> o.value().isPresent()).toList();
            assertThat(resolved).as("round %d: %s", round, outcomes).hasSize(1);
            String expectedStatus = resolved.get(0).racer() == 0 ? "pending" : "rejected";
            assertThat(tables.rows("SELECT status FROM verist_outbox WHERE run_id = ?", run))
                    .containsExactly(Map.of("status", expectedStatus));
        }
    }

    // ---- helpers ----

    /**
     * Runs {@code work} on {@code racers} threads released together by a start gate; every wait is bounded.
     */
    // Sixteen racers commit the same commit with its id: each gets the version it produced, and one id is recorded.
    private void raceRepeating(Commit commit, int version) throws Exception {
        List<Outcome<RunState>> outcomes = race(16, i -> store.commit(commit));

        assertThat(outcomes).as(outcomes.toString()).allSatisfy(o -> {
            assertThat(o.error()).isNull();
            assertThat(o.value().version()).isEqualTo(version);
        });
        assertThat(tables.all("verist_commits")).hasSize(1);
    }

    private <T> List<Outcome<T>> race(int racers, IntFunction<T> work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(racers);
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>(racers);
            for (int i = 0; i < racers; i++) {
                int racer = i;
                Callable<T> task = () -> {
                    ready.countDown();
                    if (!start.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    return work.apply(racer);
                };
                futures.add(executor.submit(task));
            }
            assertThat(ready.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("all racers ready").isTrue();
            start.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>(racers);
            for (int i = 0; i < racers; i++) {
                try {
                    outcomes.add(new Outcome<>(i, futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(i, null, e.getCause()));
                }
            }
            return outcomes;
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).as("racers stopped").isTrue();
        }
    }

}
