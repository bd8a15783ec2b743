package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.DedupeKeys;
import dev.verist.storage.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leasing and finalising outbox rows. */
@Timeout(120)
@StoreContract
class OutboxTest extends StoreTest {

    // ---- leaseOutbox ----

    @Test
    void leaseTakesPendingRowsAndSetsOwnerAndDatabaseExpiry() {
        commitEmits("r", "s1", 3);

        List<OutboxEntry> leased = store.leaseOutbox("d1", 10, Duration.ofMinutes(5));

        assertThat(leased).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(OutboxStatus.LEASED));
        assertThat(tables.all("verist_outbox")).hasSize(3).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "leased")
                .containsEntry("lease_owner", "d1"));
        // expiry = the lease call's database now() + 5 min; seen from a later now(), a bit less than 300 s remain
        assertThat(secondsLeft()).allSatisfy(s -> assertThat(s).isBetween(240.0, 300.0));
        assertThat(tables.bool("SELECT bool_and(lease_expires_at - interval '5 minutes' >= created_at) FROM verist_outbox"))
                .isTrue();
    }

    @Test
    void defaultLeaseIsThirtySeconds() {
        commitEmits("r", "s1", 1);

        assertThat(store.leaseOutbox("d1", 10)).hasSize(1);

        assertThat(secondsLeft()).singleElement().satisfies(s -> assertThat(s).isBetween(10.0, 30.0));
    }

    @Test
    void leaseOrderIsCreatedAtThenIdAndTheReturnedListFollowsIt() {
        commitEmits("r1", "s1", 3); // ids 1..3, one created_at
        commitEmits("r2", "s1", 3); // ids 4..6
        commitEmits("r3", "s1", 3); // ids 7..9
        // rows 8 and 9 become the oldest: created_at decides before id
        tables.update("UPDATE verist_outbox SET created_at = created_at - interval '1 hour' WHERE id IN (8, 9)");
        // rows 4..6 share one created_at; the id breaks the tie, whatever the physical order
        tables.update("UPDATE verist_outbox SET command = command WHERE id = 4");

        List<OutboxEntry> first = store.leaseOutbox("d", 4);
        List<OutboxEntry> rest = store.leaseOutbox("d", 100);

        assertThat(first).extracting(OutboxEntry::id).containsExactly("8", "9", "1", "2");
        assertThat(rest).extracting(OutboxEntry::id).containsExactly("3", "4", "5", "6", "7");
    }

    @Test
    void leaseRespectsTheLimit() {
        commitEmits("r", "s1", 5);

        assertThat(store.leaseOutbox("d", 2)).extracting(OutboxEntry::id).containsExactly("1", "2");
        assertThat(store.leaseOutbox("d", 2)).extracting(OutboxEntry::id).containsExactly("3", "4");
        assertThat(store.leaseOutbox("d", 2)).extracting(OutboxEntry::id).containsExactly("5");
        assertThat(store.leaseOutbox("d", 2)).isEmpty();
        assertThat(tables.rows("SELECT status FROM verist_outbox WHERE status <> 'leased'")).isEmpty();
    }

    @Test
    void deferredDispatchedRejectedAndFailedRowsAreNeverLeased() {
        commitEmits("r", "s1", 5);
        tables.update("UPDATE verist_outbox SET status = 'deferred' WHERE id = 1");
        tables.update("UPDATE verist_outbox SET status = 'dispatched', dispatched_at = now() WHERE id = 2");
        tables.update("UPDATE verist_outbox SET status = 'rejected' WHERE id = 3");
        tables.update("UPDATE verist_outbox SET status = 'failed', failures = 1 WHERE id = 4");

        assertThat(store.leaseOutbox("d", 10)).extracting(OutboxEntry::id).containsExactly("5");
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
        assertThat(statuses()).containsExactly("deferred", "dispatched", "rejected", "failed", "leased");
    }

    @Test
    void liveLeaseOfAnotherOwnerIsNotTaken() {
        commitEmits("r", "s1", 2);
        assertThat(store.leaseOutbox("d1", 10)).hasSize(2);
        List<Map<String, Object>> before = tables.all("verist_outbox");

        assertThat(store.leaseOutbox("d2", 10)).isEmpty();
        assertThat(store.leaseOutbox("d1", 10)).isEmpty();

        assertThat(tables.all("verist_outbox")).isEqualTo(before);
    }

    @Test
    void expiredLeaseIsReleasedByAnyOwnerWhoOverwritesTheOwner() {
        commitEmits("r", "s1", 1);
        assertThat(store.leaseOutbox("d1", 10, Duration.ofMillis(1))).hasSize(1);
        awaitExpiry();

        List<OutboxEntry> again = store.leaseOutbox("d2", 10, Duration.ofMinutes(1));

        assertThat(again).extracting(OutboxEntry::id).containsExactly("1");
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("status", "leased").containsEntry("lease_owner", "d2"));
        assertThat(secondsLeft()).singleElement().satisfies(s -> assertThat(s).isBetween(30.0, 60.0));
    }

    @Test
    void leaseExpiredByPlainUpdateIsReclaimedAndALiveOneIsNot() {
        commitEmits("r", "s1", 2);
        store.leaseOutbox("d1", 10);
        tables.update("UPDATE verist_outbox SET lease_expires_at = now() - interval '1 minute' WHERE id = 2");

        assertThat(store.leaseOutbox("d2", 10)).extracting(OutboxEntry::id).containsExactly("2");
        assertThat(owners()).containsExactly("d1", "d2");
    }

    @Test
    void expiredLeasesAndPendingRowsAreLeasedTogetherOldestFirst() {
        commitEmits("r", "s1", 6);
        store.leaseOutbox("d1", 10);
        // 2 and 5 expired; 1, 3 and 6 pending again; 4 still leased by d1
        tables.update("UPDATE verist_outbox SET lease_expires_at = now() - interval '1 minute' WHERE id IN (2, 5)");
        tables.update("UPDATE verist_outbox SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL"
                + " WHERE id IN (1, 3, 6)");
        tables.update("UPDATE verist_outbox SET created_at = created_at - interval '1 hour' WHERE id = 6");

        assertThat(store.leaseOutbox("d2", 4)).extracting(OutboxEntry::id).containsExactly("6", "1", "2", "3");
        // 5 was locked by the first lease's expired branch but not chosen: the lock ended with that statement
        assertThat(store.leaseOutbox("d2", 4)).extracting(OutboxEntry::id).containsExactly("5");
        assertThat(owners()).containsExactly("d2", "d2", "d2", "d1", "d2", "d2");
    }

    @Test
    void leasedRowWithNullExpiryIsReclaimed() {
        tables.update("INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status,"
                + " lease_owner, lease_expires_at) VALUES ('wf', 'r', 's', '{\"type\":\"emit\",\"topic\":\"t\","
                + "\"payload\":null}'::jsonb, repeat('a', 64), 'leased', 'ghost', NULL)");

        List<OutboxEntry> leased = store.leaseOutbox("d2", 10);

        assertThat(leased).singleElement().satisfies(e -> {
            assertThat(e.command()).isEqualTo(Command.emit("t", null));
            assertThat(e.status()).isEqualTo(OutboxStatus.LEASED);
        });
        assertThat(owners()).containsExactly("d2");
        assertThat(tables.bool("SELECT lease_expires_at > now() FROM verist_outbox")).isTrue();
    }

    @Test
    void leasingLeavesFailuresAndLastErrorUntouched() {
        commitEmits("r", "s1", 1);
        tables.update("UPDATE verist_outbox SET failures = 3, last_error = 'boom'");

        assertThat(store.leaseOutbox("d", 10)).singleElement()
                .satisfies(e -> assertThat(e.lastError()).isEqualTo("boom"));

        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("failures", 3).containsEntry("last_error", "boom"));
    }

    @Test
    void outboxEntryDescribesTheLeasedRow() {
        Map<String, Object> input = Map.of("k", "v", "n", 2, "x", 1.5, "list", List.of(1, "two"));
        RunState state = store.commit(Commit.builder("wf", "r", "extract")
                .command(Command.invoke("next", input))
                .command(Command.emit("done", Map.of("ok", true)))
                .build());

        List<OutboxEntry> leased = store.leaseOutbox("d", 10);

        assertThat(leased).hasSize(2);
        OutboxEntry invoke = leased.get(0);
        assertThat(invoke.id()).isEqualTo(String.valueOf(tables.all("verist_outbox").get(0).get("id")));
        assertThat(invoke.id()).matches("[0-9]+");
        assertThat(invoke.workflowId()).isEqualTo("wf");
        assertThat(invoke.runId()).isEqualTo("r");
        assertThat(invoke.stepId()).isEqualTo("extract");
        assertThat(invoke.command()).isEqualTo(Command.invoke("next", input));
        assertThat(invoke.dedupeKey()).matches("[0-9a-f]{64}")
                .isEqualTo(DedupeKeys.of("wf", "r", "extract", Command.invoke("next", input)));
        assertThat(invoke.status()).isEqualTo(OutboxStatus.LEASED);
        assertThat(invoke.lastError()).isNull();
        assertThat(invoke.createdAt()).isEqualTo(state.createdAt());
        Map<String, Object> second = tables.all("verist_outbox").get(1);
        assertThat(leased.get(1)).isEqualTo(new OutboxEntry(
                String.valueOf(second.get("id")), "wf", "r", "extract",
                Command.emit("done", Map.of("ok", true)),
                DedupeKeys.of("wf", "r", "extract", Command.emit("done", Map.of("ok", true))),
                OutboxStatus.LEASED, null, state.createdAt(), 0, "d", (Long) second.get("lease_token"),
                ((java.sql.Timestamp) second.get("lease_expires_at")).toInstant(), null));
        assertThat(invoke.leaseToken()).isPositive().isNotEqualTo(leased.get(1).leaseToken());
        assertThat(invoke.leaseOwner()).isEqualTo("d");
        assertThat(invoke.attempts()).isZero();
        assertThat(invoke.nextAttemptAt()).isNull();
    }

    // ---- markDispatched ----

    @Test
    void markDispatchedFinalisesTheRowAndKeepsFailures() {
        commitEmits("r", "s1", 1);
        tables.update("UPDATE verist_outbox SET failures = 2, last_error = 'earlier'");
        String id = store.leaseOutbox("d", 10).get(0).id();

        store.markDispatched(id, "d");

        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("status", "dispatched")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("last_error", null)
                .containsEntry("failures", 2));
        assertThat(tables.bool("SELECT dispatched_at IS NOT NULL AND dispatched_at >= created_at"
                + " AND dispatched_at <= now() FROM verist_outbox")).isTrue();
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
    }

    @Test
    void markDispatchedByAnotherOwnerIsLeaseMismatchAndLeavesTheRowUnchanged() {
        commitEmits("r", "s1", 1);
        String id = store.leaseOutbox("d1", 10).get(0).id();

        assertLeaseMismatch(() -> store.markDispatched(id, "d2"), id);
    }

    @Test
    void markDispatchedOnAPendingRowIsLeaseMismatch() {
        commitEmits("r", "s1", 1);

        assertLeaseMismatch(() -> store.markDispatched("1", "d"), "1");
        assertThat(statuses()).containsExactly("pending");
    }

    @Test
    void markDispatchedOnAnUnknownIdIsLeaseMismatch() {
        commitEmits("r", "s1", 1);
        store.leaseOutbox("d", 10);

        assertLeaseMismatch(() -> store.markDispatched("999", "d"), "999");
    }

    @Test
    void markDispatchedTwiceIsLeaseMismatchTheSecondTime() {
        commitEmits("r", "s1", 1);
        String id = store.leaseOutbox("d", 10).get(0).id();
        store.markDispatched(id, "d");

        assertLeaseMismatch(() -> store.markDispatched(id, "d"), id);
        assertLeaseMismatch(() -> store.markFailed(id, "d", "late"), id);
        assertThat(statuses()).containsExactly("dispatched");
    }

    @Test
    void markDispatchedAfterTheLeaseExpiredButBeforeAnyoneReleasedItSucceeds() {
        commitEmits("r", "s1", 1);
        String id = store.leaseOutbox("d1", 10, Duration.ofMillis(1)).get(0).id();
        awaitExpiry();

        store.markDispatched(id, "d1");

        assertThat(statuses()).containsExactly("dispatched");
    }

    @Test
    void markDispatchedByTheOldOwnerAfterAnotherReleasedIsLeaseMismatch() {
        commitEmits("r", "s1", 1);
        String id = store.leaseOutbox("d1", 10, Duration.ofMillis(1)).get(0).id();
        awaitExpiry();
        assertThat(store.leaseOutbox("d2", 10)).extracting(OutboxEntry::id).containsExactly(id);

        assertLeaseMismatch(() -> store.markDispatched(id, "d1"), id);
        assertLeaseMismatch(() -> store.markFailed(id, "d1", "too late"), id);

        store.markDispatched(id, "d2");
        assertThat(statuses()).containsExactly("dispatched");
    }

    // ---- markDispatched of a batch ----

    @Test
    void markDispatchedOfABatchFinalisesEveryEntryInOneCall() {
        commitEmits("r", "s1", 5);
        tables.update("UPDATE verist_outbox SET failures = 1, last_error = 'earlier' WHERE id = 3");
        List<String> ids = store.leaseOutbox("d", 10).stream().map(OutboxEntry::id).toList();

        store.markDispatched(ids, "d");

        assertThat(tables.all("verist_outbox")).hasSize(5).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "dispatched")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("last_error", null));
        assertThat(tables.rows("SELECT failures FROM verist_outbox ORDER BY id")).extracting(row -> row.get("failures"))
                .containsExactly(0, 0, 1, 0, 0);
        assertThat(tables.bool("SELECT bool_and(dispatched_at >= created_at AND dispatched_at <= now()) FROM verist_outbox"))
                .isTrue();
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
    }

    @Test
    void markDispatchedOfABatchLeavesEntriesOutsideItLeased() {
        commitEmits("r", "s1", 3);
        store.leaseOutbox("d", 10);

        store.markDispatched(List.of("1", "3"), "d");

        assertThat(statuses()).containsExactly("dispatched", "leased", "dispatched");
        assertThat(owners()).containsExactly(null, "d", null);
    }

    @Test
    void batchWithAnEntryOfAnotherOwnerIsLeaseMismatchAndMarksNone() {
        commitEmits("r", "s1", 4);
        store.leaseOutbox("d1", 2);
        store.leaseOutbox("d2", 2);

        assertBatchLeaseMismatch(() -> store.markDispatched(List.of("1", "2", "3"), "d1"));
        assertThat(owners()).containsExactly("d1", "d1", "d2", "d2");
    }

    @Test
    void batchWithAnUnknownOrPendingOrDispatchedEntryIsLeaseMismatchAndMarksNone() {
        commitEmits("r", "s1", 4);
        store.leaseOutbox("d", 3);
        store.markDispatched("3", "d");

        assertBatchLeaseMismatch(() -> store.markDispatched(List.of("1", "2", "999"), "d"));
        assertBatchLeaseMismatch(() -> store.markDispatched(List.of("1", "4"), "d"));
        assertBatchLeaseMismatch(() -> store.markDispatched(List.of("3", "1"), "d"));
        assertThat(statuses()).containsExactly("leased", "leased", "dispatched", "pending");
    }

    @Test
    void batchByTheOldOwnerAfterAnotherReclaimedOneEntryMarksNone() {
        commitEmits("r", "s1", 2);
        store.leaseOutbox("d1", 2, Duration.ofMinutes(5));
        tables.update("UPDATE verist_outbox SET lease_expires_at = now() - interval '1 second' WHERE id = 1");
        assertThat(store.leaseOutbox("d2", 10)).extracting(OutboxEntry::id).containsExactly("1");

        assertBatchLeaseMismatch(() -> store.markDispatched(List.of("1", "2"), "d1"));

        store.markDispatched(List.of("2"), "d1");
        store.markDispatched(List.of("1"), "d2");
        assertThat(statuses()).containsExactly("dispatched", "dispatched");
    }

    @Test
    void batchAfterItsLeasesExpiredButBeforeAnyoneReclaimedThemSucceeds() {
        commitEmits("r", "s1", 2);
        List<String> ids = store.leaseOutbox("d", 10, Duration.ofMillis(1)).stream().map(OutboxEntry::id).toList();
        awaitExpiry();

        store.markDispatched(ids, "d");

        assertThat(statuses()).containsExactly("dispatched", "dispatched");
    }

    @Test
    void emptyBatchChangesNothing() {
        commitEmits("r", "s1", 1);
        store.leaseOutbox("d", 10);
        List<Map<String, Object>> before = tables.all("verist_outbox");

        store.markDispatched(List.of(), "d");

        assertThat(tables.all("verist_outbox")).isEqualTo(before);
    }

    @Test
    void batchIdsWithLeadingZerosAddressTheirEntries() {
        commitEmits("r", "s1", 2);
        store.leaseOutbox("d", 10);

        store.markDispatched(List.of("0001", "02"), "d");

        assertThat(statuses()).containsExactly("dispatched", "dispatched");
    }

    // ---- markFailed ----

    @Test
    void markFailedIsTerminalCountsTheFailureAndRecordsTheError() {
        commitEmits("r", "s1", 1);
        tables.update("UPDATE verist_outbox SET failures = 2");
        String id = store.leaseOutbox("d", 10).get(0).id();

        store.markFailed(id, "d", "handler exploded");

        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("status", "failed")
                .containsEntry("failures", 3)
                .containsEntry("last_error", "handler exploded")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("dispatched_at", null));
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
        assertThat(store.leaseOutbox("other", 10, Duration.ofMillis(1))).isEmpty();
        assertLeaseMismatch(() -> store.markDispatched(id, "d"), id);
    }

    @Test
    void markFailedWithNullErrorLeavesLastErrorNull() {
        commitEmits("r", "s1", 1);
        tables.update("UPDATE verist_outbox SET last_error = 'old'");
        String id = store.leaseOutbox("d", 10).get(0).id();

        store.markFailed(id, "d", null);

        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("status", "failed")
                .containsEntry("failures", 1)
                .containsEntry("last_error", null));
    }

    @Test
    void markFailedByAnotherOwnerIsLeaseMismatchAndLeavesTheRowUnchanged() {
        commitEmits("r", "s1", 1);
        String id = store.leaseOutbox("d1", 10).get(0).id();

        assertLeaseMismatch(() -> store.markFailed(id, "d2", "nope"), id);
    }

    // ---- the lease query on a large outbox ----

    @Test
    void leaseQueryWalksTheDueIndexOnALargeOutboxWithRetriesWaiting() {
        // 50,000 rows, oldest first: one in ten still pending and due, one in ten a retry waiting for an hour
        // (older than most due rows), a few leased; the rest dispatched
        tables.update("""
                INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status,
                                           lease_owner, lease_expires_at, next_attempt_at, failures, created_at)
                SELECT 'wf', 'r' || (g / 10), 's', '{"type":"emit","topic":"t","payload":null}'::jsonb,
                       md5(g::text) || md5((-g)::text),
                       CASE WHEN g % 10 IN (0, 5) THEN 'pending' WHEN g % 97 = 0 THEN 'leased' ELSE 'dispatched' END,
                       CASE WHEN g % 97 = 0 AND g % 10 NOT IN (0, 5) THEN 'x' END,
                       CASE WHEN g % 97 = 0 AND g % 10 NOT IN (0, 5) THEN now() + interval '1 hour' END,
                       CASE WHEN g % 10 = 5 THEN now() + interval '1 hour' END,
                       CASE WHEN g % 10 = 5 THEN 1 ELSE 0 END,
                       now() - make_interval(secs => 50000 - g)
                FROM generate_series(1, 50000) g""");
        tables.execute("ANALYZE verist_outbox");

        // The statement the store really runs (read from OutboxSql.LEASE), with its binds: due rows in index
        // order, due retries by their due time, expired leases through the status index, no scan of the table
        String lease = tables.explain(Tables.storeSql("OutboxSql", "LEASE"),
                100, 100, 100, 100, "planner", 30_000_000L);
        assertThat(lease).as(lease)
                .contains("Index Scan using verist_outbox_due_idx on verist_outbox")
                .contains("verist_outbox_retry_idx")
                .contains("verist_outbox_pending_idx")
                .doesNotContain("Seq Scan");

        // its branch of entries due now walks the due index in order and stops after `limit` rows, past none of
        // the waiting retries: nothing to sort
        String pending = lease.substring(lease.indexOf("CTE pending"), lease.indexOf("CTE retries"));
        assertThat(pending).as(lease)
                .contains("Index Scan using verist_outbox_due_idx on verist_outbox")
                .doesNotContain("Sort")
                .doesNotContain("Seq Scan");

        // and it still leases in order on that outbox
        List<OutboxEntry> leased = store.leaseOutbox("d", 3);
        assertThat(leased).extracting(OutboxEntry::id).containsExactly("10", "20", "30");
    }

    @Test
    void afterANodesCrashAnotherTakesItsOldestExpiredLeasesFirstThroughTheStatusIndex() {
        // 20,000 rows, oldest first: one in five leased by a node that crashed an hour ago, the rest dispatched
        tables.update("""
                INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status,
                                           lease_owner, lease_expires_at, created_at)
                SELECT 'wf', 'r' || (g / 10), 's', '{"type":"emit","topic":"t","payload":null}'::jsonb,
                       md5(g::text) || md5((-g)::text),
                       CASE WHEN g % 5 = 0 THEN 'leased' ELSE 'dispatched' END,
                       CASE WHEN g % 5 = 0 THEN 'crashed' END,
                       CASE WHEN g % 5 = 0 THEN now() - interval '1 hour' END,
                       now() - make_interval(secs => 20000 - g)
                FROM generate_series(1, 20000) g""");
        tables.execute("ANALYZE verist_outbox");

        String lease = tables.explain(Tables.storeSql("OutboxSql", "LEASE"),
                100, 100, 100, 100, "planner", 30_000_000L);
        String expired = lease.substring(lease.indexOf("CTE expired"), lease.indexOf("CTE leased"));
        assertThat(expired).as(lease)
                .contains("Index Scan using verist_outbox_pending_idx on verist_outbox")
                .doesNotContain("Seq Scan");

        List<OutboxEntry> taken = store.leaseOutbox("survivor", 3);
        assertThat(taken).extracting(OutboxEntry::id).containsExactly("5", "10", "15");
        assertThat(taken).extracting(OutboxEntry::leaseOwner).containsOnly("survivor");
    }

    // ---- helpers ----

    private void commitEmits(String runId, String stepId, int n) {
        Commit.Builder builder = Commit.builder("wf", runId, stepId);
        for (int i = 0; i < n; i++) {
            builder.command(Command.emit("topic", Map.of("run", runId, "i", i)));
        }
        store.commit(builder.build());
    }

    private void assertLeaseMismatch(Runnable call, String id) {
        assertLeaseMismatchChangingNothing(call, "Outbox entry " + id + " ");
    }

    private void assertBatchLeaseMismatch(Runnable call) {
        assertLeaseMismatchChangingNothing(call, "none was marked");
    }

    private void assertLeaseMismatchChangingNothing(Runnable call, String messagePart) {
        List<Map<String, Object>> before = tables.all("verist_outbox");
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH);
            assertThat(e.getMessage()).contains(messagePart);
        });
        assertThat(tables.all("verist_outbox")).isEqualTo(before);
    }

    private void awaitExpiry() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!tables.bool("SELECT coalesce(bool_and(lease_expires_at < now()), false) FROM verist_outbox"
                + " WHERE status = 'leased'")) {
            if (System.nanoTime() > deadline) {
                fail("leases did not expire within 10 s: " + tables.all("verist_outbox"));
            }
            sleep(5);
        }
    }

    private List<Double> secondsLeft() {
        return tables.rows("SELECT extract(epoch FROM lease_expires_at - now()) AS s FROM verist_outbox ORDER BY id")
                .stream().map(row -> ((Number) row.get("s")).doubleValue()).toList();
    }

    private List<String> statuses() {
        return tables.rows("SELECT status FROM verist_outbox ORDER BY id").stream()
                .map(row -> (String) row.get("status")).toList();
    }

    private List<String> owners() {
        return tables.rows("SELECT lease_owner FROM verist_outbox ORDER BY id").stream()
                .map(row -> (String) row.get("lease_owner")).toList();
    }

}
