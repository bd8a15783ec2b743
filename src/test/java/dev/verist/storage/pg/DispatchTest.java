package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fenced finalisation, retries with backoff and dead letters: what a dispatcher relies on. */
@StoreContract
class DispatchTest extends StoreTest {

    private static final Duration SHORT_LEASE = Duration.ofMillis(100);
    private static final RetryPolicy NO_JITTER =
            new RetryPolicy(3, Duration.ofMillis(300), 2, Duration.ofSeconds(10), false);

    // ---------------------------------------------------------------------------------------- fencing

    @Test
    void markDispatchedOfTheCurrentLeaseFinalisesItAndReleasesTheToken() {
        commitEmits(1);
        OutboxEntry leased = store.leaseOutbox("d1", 10).get(0);

        store.markDispatched(leased);

        assertThat(row(leased)).containsEntry("status", "dispatched").containsEntry("lease_token", null)
                .containsEntry("lease_owner", null);
        assertThat(row(leased).get("dispatched_at")).isNotNull();
    }

    @Test
    void everyLeaseTakesANewTokenAndTokensAreUniqueAcrossEntries() {
        commitEmits(3);
        List<OutboxEntry> first = store.leaseOutbox("d1", 10, SHORT_LEASE);
        awaitLeasesExpired();
        List<OutboxEntry> second = store.leaseOutbox("d1", 10);

        Set<Long> tokens = new HashSet<>();
        first.forEach(e -> tokens.add(e.leaseToken()));
        second.forEach(e -> tokens.add(e.leaseToken()));
        assertThat(tokens).hasSize(6).allSatisfy(token -> assertThat(token).isPositive());
        for (int i = 0; i < 3; i++) {
            assertThat(second.get(i).leaseToken()).isGreaterThan(first.get(i).leaseToken());
        }
    }

    @Test
    void holderWhoseLeaseAnotherOwnerTookOverGetsLeaseMismatchAndChangesNothing() {
        commitEmits(1);
        OutboxEntry stale = store.leaseOutbox("d1", 10, SHORT_LEASE).get(0);
        awaitLeasesExpired();
        OutboxEntry current = store.leaseOutbox("d2", 10).get(0);

        assertStaleChangingNothing(() -> store.markDispatched(stale));
        assertStaleChangingNothing(() -> store.markDispatched(List.of(stale)));
        assertStaleChangingNothing(() -> store.markFailed(stale, "late", NO_JITTER));

        store.markDispatched(current);
        assertThat(row(current)).containsEntry("status", "dispatched");
    }

    @Test
    void holderWhoseLeaseTheSameOwnerNameTookOverGetsLeaseMismatchWhereTheOwnerFormStillSucceeds() {
        commitEmits(1);
        OutboxEntry stale = store.leaseOutbox("d1", 10, SHORT_LEASE).get(0);
        awaitLeasesExpired();
        OutboxEntry current = store.leaseOutbox("d1", 10).get(0);

        assertStaleChangingNothing(() -> store.markDispatched(stale));

        // the reference's rule: the owner name decides, so the id + owner form finalises the new lease
        store.markDispatched(stale.id(), "d1");
        assertThat(row(current)).containsEntry("status", "dispatched");
    }

    @Test
    void takeoverByAWorkerThatLeavesTheTokenAsItIsStillFencesTheEarlierHolder() {
        commitEmits(1);
        OutboxEntry stale = store.leaseOutbox("d1", 10, SHORT_LEASE).get(0);
        awaitLeasesExpired();
        // what the TypeScript adapter's lease writes: a new owner and expiry, the token left as it was
        tables.update("UPDATE verist_outbox SET lease_owner = 'ts-worker', lease_expires_at = now() + interval '30 s'"
                + " WHERE id = ?", Long.parseLong(stale.id()));

        assertStaleChangingNothing(() -> store.markDispatched(stale));
        assertStaleChangingNothing(() -> store.markDispatched(List.of(stale)));
        assertStaleChangingNothing(() -> store.markFailed(stale, "late", NO_JITTER));
    }

    @Test
    void expiredLeaseThatNobodyTookOverStillFinalises() {
        commitEmits(1);
        OutboxEntry leased = store.leaseOutbox("d1", 10, SHORT_LEASE).get(0);
        awaitLeasesExpired();

        store.markDispatched(leased);

        assertThat(row(leased)).containsEntry("status", "dispatched");
    }

    @Test
    void entryThatIsNotALeaseIsLeaseMismatch() {
        commitEmits(1);
        OutboxEntry pending = store.outbox(OutboxStatus.PENDING, null, 10).get(0);
        assertThat(pending.leaseToken()).isZero();

        assertStaleChangingNothing(() -> store.markDispatched(pending));
        assertStaleChangingNothing(() -> store.markFailed(pending, "x", NO_JITTER));
        OutboxEntry leased = store.leaseOutbox("d1", 10).get(0);
        store.markDispatched(leased);
        assertStaleChangingNothing(() -> store.markDispatched(leased));
    }

    @Test
    void batchOfCurrentLeasesIsDispatchedInOneCall() {
        commitEmits(5);
        List<OutboxEntry> leased = store.leaseOutbox("d1", 10);

        store.markDispatched(leased);

        assertThat(tables.rows("SELECT status FROM verist_outbox")).extracting(r -> r.get("status"))
                .containsOnly("dispatched").hasSize(5);
    }

    @Test
    void batchWithOneStaleLeaseMarksNoneAndSaysHowManyWereCurrent() {
        commitEmits(3);
        List<OutboxEntry> first = store.leaseOutbox("d1", 1, SHORT_LEASE);
        List<OutboxEntry> batch = new ArrayList<>(store.leaseOutbox("d1", 10));
        awaitExpiryOf(first.get(0));
        store.leaseOutbox("d2", 10); // takes over the first entry only: the others are leased for 30 s
        batch.add(0, first.get(0));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.markDispatched(batch)).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH);
            assertThat(e.getMessage()).contains("2 of 3 leases are still current; none was marked");
        });
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void emptyBatchDoesNothing() {
        commitEmits(1);
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        store.markDispatched(List.<OutboxEntry>of());

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------- retries

    @Test
    void failedAttemptIsPendingAgainAfterItsBackoffByTheDatabaseClock() {
        commitEmits(1);
        OutboxEntry leased = store.leaseOutbox("d1", 10).get(0);
        Instant before = tables.clock();

        OutboxStatus status = store.markFailed(leased, "timeout", NO_JITTER);
        Instant after = tables.clock();

        assertThat(status).isEqualTo(OutboxStatus.PENDING);
        Map<String, Object> row = row(leased);
        assertThat(row).containsEntry("status", "pending").containsEntry("failures", 1)
                .containsEntry("last_error", "timeout").containsEntry("lease_owner", null)
                .containsEntry("lease_token", null).containsEntry("lease_expires_at", null);
        assertThat(instant(row.get("next_attempt_at")))
                .isBetween(before.plus(NO_JITTER.initialBackoff()), after.plus(NO_JITTER.initialBackoff()));
        assertThat(store.leaseOutbox("d1", 10)).as("not due yet").isEmpty();

        OutboxEntry retried = awaitLease();
        assertThat(retried.id()).isEqualTo(leased.id());
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.lastError()).isEqualTo("timeout");
        assertThat(retried.nextAttemptAt()).isNull();
        assertThat(retried.leaseToken()).isGreaterThan(leased.leaseToken());
        assertThat(instant(row(retried).get("lease_expires_at"))).isAfter(instant(row.get("next_attempt_at")));
    }

    @Test
    void eachFurtherFailureWaitsLongerByTheMultiplier() {
        commitEmits(1);
        store.markFailed(store.leaseOutbox("d1", 10).get(0), "first", NO_JITTER);
        OutboxEntry second = awaitLease();
        Instant before = tables.clock();

        store.markFailed(second, "second", NO_JITTER);
        Instant after = tables.clock();

        Duration wait = NO_JITTER.backoff(2);
        assertThat(wait).isEqualTo(Duration.ofMillis(600));
        assertThat(instant(row(second).get("next_attempt_at"))).isBetween(before.plus(wait), after.plus(wait));
    }

    @Test
    void lastAttemptMakesADeadLetterThatIsNeverLeasedAgain() {
        commitEmits(1);
        RetryPolicy twice = new RetryPolicy(2, Duration.ZERO, 1, Duration.ZERO, false);
        assertThat(store.markFailed(store.leaseOutbox("d1", 10).get(0), "one", twice)).isEqualTo(OutboxStatus.PENDING);
        OutboxEntry last = awaitLease();

        assertThat(store.markFailed(last, "two", twice)).isEqualTo(OutboxStatus.FAILED);

        assertThat(row(last)).containsEntry("status", "failed").containsEntry("failures", 2)
                .containsEntry("last_error", "two").containsEntry("next_attempt_at", null)
                .containsEntry("lease_token", null);
        assertThat(store.leaseOutbox("d1", 10)).isEmpty();
    }

    @Test
    void withoutRetriesTheFirstFailureIsADeadLetter() {
        commitEmits(1);

        assertThat(store.markFailed(store.leaseOutbox("d1", 10).get(0), "boom", RetryPolicy.none()))
                .isEqualTo(OutboxStatus.FAILED);
        assertThat(tables.rows("SELECT status, failures FROM verist_outbox"))
                .containsExactly(Map.of("status", "failed", "failures", 1));
    }

    @Test
    void jitteredWaitsStayWithinTheBackoffAndSpreadOut() {
        commitEmits(20);
        RetryPolicy jittered = new RetryPolicy(3, Duration.ofSeconds(10), 2, Duration.ofMinutes(1), true);
        Instant before = tables.clock();
        for (OutboxEntry leased : store.leaseOutbox("d1", 20)) {
            store.markFailed(leased, "busy", jittered);
        }
        Instant after = tables.clock();

        List<Instant> due = tables.rows("SELECT next_attempt_at FROM verist_outbox").stream()
                .map(r -> instant(r.get("next_attempt_at"))).toList();
        assertThat(due).allSatisfy(at -> assertThat(at).isBetween(before, after.plusSeconds(10)));
        assertThat(new HashSet<>(due)).hasSizeGreaterThan(1);
    }

    @Test
    void leasingSkipsRetriesNotYetDueAndKeepsOldestFirstAmongTheDue() {
        commitEmits("old", 1);
        OutboxEntry old = store.leaseOutbox("d1", 10).get(0);
        store.markFailed(old, "later", NO_JITTER);
        commitEmits("newer", 2);

        assertThat(store.leaseOutbox("d1", 10)).extracting(OutboxEntry::runId).containsExactly("newer", "newer");

        commitEmits("newest", 1);
        awaitDue(old);
        assertThat(store.leaseOutbox("d1", 10)).extracting(OutboxEntry::runId).containsExactly("old", "newest");
    }

    @Test
    void referenceMarkFailedStaysTerminal() {
        commitEmits(1);
        OutboxEntry leased = store.leaseOutbox("d1", 10).get(0);

        store.markFailed(leased.id(), "d1", "gave up");

        assertThat(row(leased)).containsEntry("status", "failed").containsEntry("next_attempt_at", null)
                .containsEntry("lease_token", null).containsEntry("failures", 1);
        assertThat(store.leaseOutbox("d1", 10)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- release

    @Test
    void releasedEntryIsDueAgainAtOnceInItsPlaceWithItsAttemptsKept() {
        commitEmits("old", 1);
        store.markFailed(store.leaseOutbox("d1", 10).get(0), "busy", new RetryPolicy(5, Duration.ZERO, 1, Duration.ZERO, false));
        OutboxEntry retried = awaitLease();
        commitEmits("newer", 1);

        store.release(retried, Duration.ZERO);

        assertThat(row(retried)).containsEntry("status", "pending").containsEntry("failures", 1)
                .containsEntry("last_error", "busy").containsEntry("lease_owner", null)
                .containsEntry("lease_token", null).containsEntry("lease_expires_at", null)
                .containsEntry("next_attempt_at", null);
        assertThat(store.leaseOutbox("d2", 10)).extracting(OutboxEntry::runId).containsExactly("old", "newer");
    }

    @Test
    void releasedEntryWithADelayIsNotLeasedBeforeItByTheDatabaseClock() {
        commitEmits(1);
        OutboxEntry leased = store.leaseOutbox("d1", 10).get(0);
        Instant before = tables.clock();

        store.release(leased, Duration.ofMillis(300));
        Instant after = tables.clock();

        assertThat(instant(row(leased).get("next_attempt_at")))
                .isBetween(before.plusMillis(300), after.plusMillis(300));
        assertThat(store.leaseOutbox("d1", 10)).as("not due yet").isEmpty();
        assertThat(awaitLease().attempts()).isZero();
    }

    @Test
    void releaseOfALeaseThatIsNoLongerCurrentIsLeaseMismatchAndChangesNothing() {
        commitEmits(1);
        OutboxEntry stale = store.leaseOutbox("d1", 10, SHORT_LEASE).get(0);
        awaitLeasesExpired();
        OutboxEntry current = store.leaseOutbox("d1", 10).get(0);

        assertStaleChangingNothing(() -> store.release(stale, Duration.ZERO));
        store.markDispatched(current);
        assertStaleChangingNothing(() -> store.release(current, Duration.ZERO));
    }

    // ---------------------------------------------------------------------------------------- bad input

    @Test
    void badFencedCallsAreInvalidAndWriteNothing() {
        commitEmits(2);
        List<OutboxEntry> leased = store.leaseOutbox("d1", 10);
        OutboxEntry entry = leased.get(0);
        OutboxEntry badId = new OutboxEntry("x1", "wf", "r", "s", entry.command(), entry.dedupeKey(),
                OutboxStatus.LEASED, null, entry.createdAt(), 0, "d1", entry.leaseToken(), null, null);
        List<OutboxEntry> withNull = new ArrayList<>(leased);
        withNull.add(null);

        assertInvalidWritingNothing(() -> store.markDispatched((OutboxEntry) null), "leased");
        assertInvalidWritingNothing(() -> store.markDispatched(badId), "leased.id");
        assertInvalidWritingNothing(() -> store.markDispatched((List<OutboxEntry>) null), "leased");
        assertInvalidWritingNothing(() -> store.markDispatched(withNull), "leased[2]");
        assertInvalidWritingNothing(() -> store.markDispatched(List.of(entry, leased.get(1), entry)), "leased[2]");
        assertInvalidWritingNothing(() -> store.release(null, Duration.ZERO), "leased");
        assertInvalidWritingNothing(() -> store.release(badId, Duration.ZERO), "leased.id");
        assertInvalidWritingNothing(() -> store.release(entry, null), "delay");
        assertInvalidWritingNothing(() -> store.release(entry, Duration.ofMillis(-1)), "delay");
        assertInvalidWritingNothing(() -> store.markFailed(null, "e", NO_JITTER), "leased");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e\u0000", NO_JITTER), "error");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e", null), "policy");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e", new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO, false)),
                "policy.maxAttempts");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e", new RetryPolicy(3, null, 1, Duration.ZERO, false)),
                "policy.initialBackoff");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e",
                new RetryPolicy(3, Duration.ofSeconds(-1), 1, Duration.ZERO, false)), "policy.initialBackoff");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e", new RetryPolicy(3, Duration.ZERO, 1, null, false)),
                "policy.maxBackoff");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e",
                new RetryPolicy(3, Duration.ZERO, 1, Duration.ofMillis(-1), false)), "policy.maxBackoff");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e", new RetryPolicy(3, Duration.ZERO, 0.5, Duration.ZERO, false)),
                "policy.multiplier");
        assertInvalidWritingNothing(() -> store.markFailed(entry, "e",
                new RetryPolicy(3, Duration.ZERO, Double.NaN, Duration.ZERO, false)), "policy.multiplier");
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void assertStaleChangingNothing(Runnable call) {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    private void commitEmits(int n) {
        commitEmits("r", n);
    }

    private void commitEmits(String runId, int n) {
        Commit.Builder builder = Commit.builder("wf", runId, "s");
        for (int i = 0; i < n; i++) {
            builder.command(Command.emit("topic", Map.of("i", i)));
        }
        store.commit(builder.build());
    }

    private Map<String, Object> row(OutboxEntry entry) {
        return tables.rows("SELECT * FROM verist_outbox WHERE id = ?", Long.parseLong(entry.id())).get(0);
    }

    // The next lease of one entry, once it is due again.
    private OutboxEntry awaitLease() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<OutboxEntry> leased = store.leaseOutbox("d1", 10);
            if (!leased.isEmpty()) {
                assertThat(leased).hasSize(1);
                return leased.get(0);
            }
            sleep(10);
        }
        return fail("no entry became due within 20 s: " + tables.all("verist_outbox"));
    }

    private void awaitDue(OutboxEntry entry) {
        await("entry " + entry.id() + " due", "SELECT next_attempt_at <= now() FROM verist_outbox WHERE id = ?",
                Long.parseLong(entry.id()));
    }

    private void awaitExpiryOf(OutboxEntry entry) {
        await("lease of " + entry.id() + " expired",
                "SELECT lease_expires_at < now() FROM verist_outbox WHERE id = ?", Long.parseLong(entry.id()));
    }

    private void awaitLeasesExpired() {
        await("leases expired", "SELECT coalesce(bool_and(lease_expires_at < now()), false) FROM verist_outbox"
                + " WHERE status = 'leased'");
    }

    private void await(String what, String sql, Object... binds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!tables.bool(sql, binds)) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within 20 s: " + tables.all("verist_outbox"));
            }
            sleep(5);
        }
    }

    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }
}
