package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator does with the outbox: list it, requeue dead letters, purge what is done, read its figures. */
@StoreContract
class OperatorToolsTest extends StoreTest {

    // ---------------------------------------------------------------------------------------- listing

    @Test
    void listingIsOldestFirstAndPagesAfterTheLastIdOfAPage() {
        commitEmits("wf", "r", 5);

        List<OutboxEntry> first = store.outbox(OutboxStatus.PENDING, null, 2);
        List<OutboxEntry> second = store.outbox(OutboxStatus.PENDING, first.get(1).id(), 2);
        List<OutboxEntry> third = store.outbox(OutboxStatus.PENDING, second.get(1).id(), 2);

        assertThat(first).extracting(OutboxEntry::id).containsExactly("1", "2");
        assertThat(second).extracting(OutboxEntry::id).containsExactly("3", "4");
        assertThat(third).extracting(OutboxEntry::id).containsExactly("5");
        assertThat(store.outbox(OutboxStatus.PENDING, "5", 2)).isEmpty();
        assertThat(first).allSatisfy(e -> assertThat(e.status()).isEqualTo(OutboxStatus.PENDING));
    }

    @Test
    void aRunsEntriesAreListedInEveryStatusOldestFirstInPagesAndNoOtherRunsAmongThem() {
        commitEmits("wf", "r", 3);
        commitEmits("wf", "other", 2);
        commitEmits("wf2", "r", 1);
        List<OutboxEntry> leased = store.leaseOutbox("d", 1);
        store.markDispatched(leased.get(0));

        List<OutboxEntry> first = store.outbox("wf", "r", null, 2);
        List<OutboxEntry> rest = store.outbox("wf", "r", first.get(1).id(), 2);

        assertThat(first).extracting(OutboxEntry::id).containsExactly("1", "2");
        assertThat(first).extracting(OutboxEntry::status).containsExactly(OutboxStatus.DISPATCHED, OutboxStatus.PENDING);
        assertThat(rest).extracting(OutboxEntry::id).containsExactly("3");
        assertThat(store.outbox("wf", "nothing", null, 10)).isEmpty();
    }

    @Test
    void listingFollowsCreationTimeBeforeIds() {
        commitEmits("wf", "r", 3);
        tables.update("UPDATE verist_outbox SET created_at = created_at - interval '1 hour' WHERE id = 3");

        assertThat(store.outbox(OutboxStatus.PENDING, null, 10)).extracting(OutboxEntry::id)
                .containsExactly("3", "1", "2");
        assertThat(store.outbox(OutboxStatus.PENDING, "3", 10)).extracting(OutboxEntry::id).containsExactly("1", "2");
    }

    @Test
    void afterIdThatIsGoneOrHasAnotherStatusPagesFromTheIdsAboveIt() {
        commitEmits("wf", "r", 4);
        OutboxEntry leased = store.leaseOutbox("d", 1).get(0);
        assertThat(leased.id()).isEqualTo("1");

        assertThat(store.outbox(OutboxStatus.PENDING, "1", 10)).extracting(OutboxEntry::id)
                .containsExactly("2", "3", "4");
        assertThat(store.outbox(OutboxStatus.PENDING, "999", 10)).isEmpty();
        assertThat(store.outbox(OutboxStatus.PENDING, "0", 10)).extracting(OutboxEntry::id)
                .containsExactly("2", "3", "4");
    }

    @Test
    void listingShowsDeadLettersWithTheirErrorAndAttempts() {
        commitEmits("wf", "r", 2);
        OutboxEntry dead = store.leaseOutbox("d", 1).get(0);
        store.markFailed(dead, "unreachable", RetryPolicy.none());

        assertThat(store.outbox(OutboxStatus.FAILED, null, 10)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(dead.id());
            assertThat(e.lastError()).isEqualTo("unreachable");
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.leaseOwner()).isNull();
            assertThat(e.leaseToken()).isZero();
        });
    }

    // ---------------------------------------------------------------------------------------- requeue

    @Test
    void requeueMakesADeadLetterPendingDueNowWithAttemptsResetAndItsErrorKept() {
        commitEmits("wf", "r", 1);
        OutboxEntry dead = store.leaseOutbox("d", 1).get(0);
        store.markFailed(dead, "unreachable", new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO, false));

        assertThat(store.requeue(dead.id())).isTrue();

        assertThat(tables.rows("SELECT status, failures, last_error, next_attempt_at, lease_token FROM verist_outbox"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("status", "pending")
                        .containsEntry("failures", 0).containsEntry("last_error", "unreachable")
                        .containsEntry("next_attempt_at", null).containsEntry("lease_token", null));
        assertThat(store.leaseOutbox("d", 1)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(dead.id());
            assertThat(e.attempts()).isZero();
        });
    }

    @Test
    void requeueOfAnEntryThatIsNotADeadLetterIsFalseAndChangesNothing() {
        commitEmits("wf", "r", 3);
        store.markDispatched(store.leaseOutbox("d", 1).get(0));
        store.leaseOutbox("d", 1);
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThat(store.requeue("1")).as("dispatched").isFalse();
        assertThat(store.requeue("2")).as("leased").isFalse();
        assertThat(store.requeue("3")).as("pending").isFalse();
        assertThat(store.requeue("42")).as("unknown").isFalse();
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void requeueOfADeadLetterHeldByAConcurrentCallIsFalseWithoutWaiting() throws Exception {
        commitEmits("wf", "r", 1);
        store.markFailed(store.leaseOutbox("d", 1).get(0), "x", RetryPolicy.none());
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM verist_outbox FOR UPDATE")) {
                lock.executeQuery().close();
            }

            assertThat(store.requeue("1")).isFalse();
            assertThat(store.requeueFailed(null)).isZero();
            holder.rollback();
        }
        assertThat(store.requeue("1")).isTrue();
    }

    @Test
    void requeueFailedTakesTheDeadLettersOfOneWorkflowOrOfAll() {
        commitEmits("billing", "r1", 2);
        commitEmits("shipping", "r2", 1);
        commitEmits("billing", "r3", 1);
        for (OutboxEntry entry : store.leaseOutbox("d", 3)) {
            store.markFailed(entry, "down", RetryPolicy.none());
        }
        Map<String, Object> untouched = tables.all("verist_outbox").get(3);

        assertThat(store.requeueFailed("billing")).isEqualTo(2);
        assertThat(statusByRun()).containsExactly("r1:pending", "r1:pending", "r2:failed", "r3:pending");
        assertThat(tables.all("verist_outbox").get(3)).isEqualTo(untouched);
        assertThat(store.requeueFailed(null)).isEqualTo(1);
        assertThat(store.requeueFailed(null)).isZero();
        assertThat(statusByRun()).containsOnly("r1:pending", "r2:pending", "r3:pending");
    }

    // ---------------------------------------------------------------------------------------- purge

    @Test
    void purgeDeletesDispatchedEntriesFinishedBeforeTheCutOffOldestFirstAndNothingElse() {
        commitEmits("wf", "r", 6);
        store.markDispatched(store.leaseOutbox("d", 4));
        // dispatched 4, 3, 2 and 1 hours ago (ids 1..4); 5 is leased, 6 pending
        tables.update("UPDATE verist_outbox SET dispatched_at = now() - make_interval(hours => 5 - id::int)"
                + " WHERE status = 'dispatched'");
        store.leaseOutbox("d", 1);
        Instant cutOff = instantOf("SELECT now() - interval '2 hours' AS t");
        tables.update("UPDATE verist_outbox SET dispatched_at = ? WHERE id = 3", java.sql.Timestamp.from(cutOff));

        assertThat(store.purgeDispatched(cutOff, 1)).isEqualTo(1);
        assertThat(ids()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(store.purgeDispatched(cutOff, 10)).as("strictly before the cut-off").isEqualTo(1);
        assertThat(ids()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(store.purgeDispatched(cutOff, 10)).isZero();
        assertThat(store.purgeDispatched(Instant.now().plusSeconds(3600), 10)).isEqualTo(2);
        assertThat(statusByRun()).containsExactly("r:leased", "r:pending");
    }

    // ---------------------------------------------------------------------------------------- stats

    @Test
    void statsCountEveryStatusAndTellTheOldestDueEntryExpiredLeasesAndWaitingRetries() {
        assertThat(store.outboxStats()).satisfies(empty -> {
            assertThat(empty.counts()).hasSize(OutboxStatus.values().length).allSatisfy((s, n) -> assertThat(n).isZero());
            assertThat(empty.oldestPendingAge()).isEmpty();
            assertThat(empty.expiredLeases()).isZero();
            assertThat(empty.waitingRetries()).isZero();
        });

        commitEmits("wf", "r", 6);
        store.commit(Commit.builder("wf", "reviewed", "s").command(Command.review("look"))
                .command(Command.emit("later", 1)).build());
        List<OutboxEntry> leased = store.leaseOutbox("d", 4);
        store.markDispatched(leased.get(0));
        store.markFailed(leased.get(1), "dead", RetryPolicy.none());
        store.markFailed(leased.get(2), "again", new RetryPolicy(3, Duration.ofHours(1), 1, Duration.ofHours(1), false));
        tables.update("UPDATE verist_outbox SET lease_expires_at = now() - interval '1 second' WHERE id = ?",
                Long.parseLong(leased.get(3).id()));
        tables.update("UPDATE verist_outbox SET created_at = now() - interval '1 hour' WHERE id = 5");

        OutboxStats stats = store.outboxStats();

        Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
        counts.put(OutboxStatus.PENDING, 3L);
        counts.put(OutboxStatus.DEFERRED, 1L);
        counts.put(OutboxStatus.LEASED, 1L);
        counts.put(OutboxStatus.DISPATCHED, 1L);
        counts.put(OutboxStatus.REJECTED, 0L);
        counts.put(OutboxStatus.FAILED, 1L);
        assertThat(stats.counts()).isEqualTo(counts);
        assertThat(stats.expiredLeases()).isEqualTo(1);
        assertThat(stats.waitingRetries()).isEqualTo(1);
        assertThat(stats.oldestPendingAge()).hasValueSatisfying(age ->
                assertThat(age).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61)));
    }

    // ---------------------------------------------------------------------------------------- bad input

    @Test
    void badOperatorCallsAreInvalidAndWriteNothing() {
        commitEmits("wf", "r", 1);

        assertInvalidWritingNothing(() -> store.outbox(null, null, 10), "status");
        assertInvalidWritingNothing(() -> store.outbox(OutboxStatus.PENDING, "1a", 10), "afterId");
        assertInvalidWritingNothing(() -> store.outbox(OutboxStatus.PENDING, null, 0), "limit");
        assertInvalidWritingNothing(() -> store.outbox("wf", " ", null, 10), "runId");
        assertInvalidWritingNothing(() -> store.outbox("wf", "r", "x", 10), "afterId");
        assertInvalidWritingNothing(() -> store.outbox("wf", "r", null, 0), "limit");
        assertInvalidWritingNothing(() -> store.requeue(null), "outboxId");
        assertInvalidWritingNothing(() -> store.requeue("-1"), "outboxId");
        assertInvalidWritingNothing(() -> store.requeueFailed(" "), "workflowId");
        assertInvalidWritingNothing(() -> store.purgeDispatched(null, 10), "dispatchedBefore");
        assertInvalidWritingNothing(() -> store.purgeDispatched(Instant.now(), 0), "limit");
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void commitEmits(String workflowId, String runId, int n) {
        Commit.Builder builder = Commit.builder(workflowId, runId, "s");
        for (int i = 0; i < n; i++) {
            builder.command(Command.emit("topic", Map.of("i", i)));
        }
        store.commit(builder.build());
    }

    private List<String> statusByRun() {
        return tables.rows("SELECT run_id || ':' || status AS s FROM verist_outbox ORDER BY id").stream()
                .map(r -> (String) r.get("s")).toList();
    }

    private List<Long> ids() {
        return tables.rows("SELECT id FROM verist_outbox ORDER BY id").stream().map(r -> (Long) r.get("id")).toList();
    }

    private Instant instantOf(String sql) {
        return ((java.sql.Timestamp) tables.rows(sql).get(0).get("t")).toInstant();
    }
}
