package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Blocking commands in a commit: the block row a review or suspend
 * writes, what happens to its siblings, the one-active-block rule and {@code getBlock}.
 */
@StoreContract
class BlocksTest extends StoreTest {

    // ---- review ----

    @Test
    void reviewWritesBlockRowAndDefersSiblings() {
        RunState state = store.commit(Commit.builder("wf", "r", "s1")
                .output(Map.of("draft", "x"))
                .event(AuditEvent.of("drafted"))
                .command(Command.invoke("next", Map.of("k", "v")))
                .command(Command.review("check it", Map.of("doc", 1)))
                .command(Command.emit("published", Map.of("n", 2)))
                .build());

        List<Map<String, Object>> blocks = tables.all("verist_blocks");
        assertThat(blocks).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("workflow_id", "wf")
                .containsEntry("run_id", "r")
                .containsEntry("step_id", "s1")
                .containsEntry("type", "review")
                .containsEntry("reason", "check it")
                .containsEntry("resume_step", null)
                .containsEntry("resolution", null)
                .containsEntry("resolved_at", null));
        assertThat(tables.bool("SELECT payload = '{\"doc\": 1}'::jsonb FROM verist_blocks")).isTrue();
        assertThat(tables.bool("SELECT b.created_at = s.updated_at FROM verist_blocks b, verist_state s")).isTrue();

        List<Map<String, Object>> outbox = tables.all("verist_outbox");
        assertThat(outbox).hasSize(2).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "deferred")
                .containsEntry("step_id", "s1")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null));
        assertThat(tables.bool("SELECT bool_and(created_at = ?::timestamptz) FROM verist_outbox",
                state.updatedAt().toString())).isTrue();
        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"next\",\"input\":{\"k\":\"v\"}}'::jsonb"
                + " FROM verist_outbox WHERE id = ?", outbox.get(0).get("id"))).isTrue();
        assertThat(tables.bool("SELECT command = '{\"type\":\"emit\",\"topic\":\"published\",\"payload\":{\"n\":2}}'::jsonb"
                + " FROM verist_outbox WHERE id = ?", outbox.get(1).get("id"))).isTrue();
        // events and output are committed with the block (B.5 notes)
        assertThat(tables.count("verist_events")).isEqualTo(1);
        assertThat(state.computed()).isEqualTo(Map.of("draft", "x"));
        // deferred rows are not leasable while the review is pending
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
    }

    @Test
    void reviewWithoutPayloadStoresSqlNullPayload() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look")).build());

        assertThat(tables.bool("SELECT payload IS NULL FROM verist_blocks")).isTrue();
        assertThat(store.getBlock("wf", "r")).hasValueSatisfying(b -> assertThat(b.payload()).isNull());
    }

    @Test
    void reviewOnlyCommitWritesOnlyTheBlock() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look", Map.of("a", 1))).build());

        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=1");
    }

    // ---- suspend ----

    @Test
    void suspendStoresCheckpointAsPayloadAndGivenResumeStep() {
        RunState state = store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.suspend("waiting for payment", Map.of("cursor", 7, "items", List.of("a")),
                        "after-payment"))
                .build());

        assertThat(tables.all("verist_blocks")).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("type", "suspend")
                .containsEntry("reason", "waiting for payment")
                .containsEntry("step_id", "s1")
                .containsEntry("resume_step", "after-payment")
                .containsEntry("resolution", null)
                .containsEntry("resolved_at", null));
        assertThat(tables.bool("SELECT payload = '{\"cursor\": 7, \"items\": [\"a\"]}'::jsonb FROM verist_blocks")).isTrue();
        assertThat(tables.bool("SELECT created_at = ?::timestamptz FROM verist_blocks", state.updatedAt().toString()))
                .isTrue();
    }

    @Test
    void suspendWithoutResumeStepStoresCommittingStepAsResumeStep() {
        store.commit(Commit.builder("wf", "r", "collect").command(Command.suspend("wait", Map.of("n", 1))).build());

        assertThat(tables.all("verist_blocks")).singleElement()
                .satisfies(b -> assertThat(b).containsEntry("resume_step", "collect"));
        assertThat(store.getBlock("wf", "r")).hasValueSatisfying(b -> assertThat(b.resumeStep()).isEqualTo("collect"));
    }

    @Test
    void suspendWithNullCheckpointStoresSqlNullPayload() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("wait", null)).build());

        assertThat(tables.bool("SELECT payload IS NULL FROM verist_blocks")).isTrue();
    }

    @Test
    void suspendDiscardsSiblingsAndWritesNoOutboxRows() {
        store.commit(Commit.builder("wf", "r", "s1")
                .event(AuditEvent.of("suspended"))
                .command(Command.invoke("next", Map.of("k", "v")))
                .command(Command.suspend("wait", Map.of()))
                .command(Command.emit("topic", "payload"))
                .build());

        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=0, blocks=1");
    }

    // ---- one active block per run ----

    @Test
    void secondBlockingCommitIsActiveBlockAndWritesNothing() {
        store.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).event(AuditEvent.of("first"))
                .command(Command.review("first review")).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .output(Map.of("a", 2, "b", 3))
                .event(AuditEvent.of("second"))
                .command(Command.invoke("sibling", Map.of("x", 1)))
                .command(Command.review("second review", Map.of("p", 1)))
                .build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.ACTIVE_BLOCK);
                    assertThat(e.getMessage()).contains("wf/r");
                });

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> {
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.computed()).isEqualTo(Map.of("a", 1));
        });
        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=0, blocks=1");
    }

    @Test
    void suspendCommitWhileReviewIsActiveIsActiveBlockAndWritesNothing() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("first", Map.of("c", 1))).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .output(Map.of("z", 1))
                .event(AuditEvent.of("second"))
                .command(Command.suspend("second", Map.of("c", 2), "other"))
                .build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.ACTIVE_BLOCK));

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.getBlock("wf", "r")).hasValueSatisfying(b -> assertThat(b.reason()).isEqualTo("first"));
    }

    @Test
    void nonBlockingCommitWhileBlockIsActiveIsAcceptedAndItsCommandsArePending() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look")).build());

        RunState state = store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .output(Map.of("more", true))
                .event(AuditEvent.of("went on"))
                .command(Command.invoke("later", Map.of("i", 1)))
                .command(Command.emit("t", Map.of("i", 2)))
                .build());

        assertThat(state.version()).isEqualTo(2);
        assertThat(tables.all("verist_outbox")).hasSize(2).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "pending")
                .containsEntry("step_id", "s2"));
        assertThat(store.getBlock("wf", "r")).isPresent();
        assertThat(store.leaseOutbox("d", 10)).hasSize(2);
    }

    // ---- getBlock ----

    @Test
    void getBlockReturnsTheActiveReviewBlockWithAllFields() {
        RunState state = store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.review("check it", Map.of("doc", 1, "tags", List.of("a", "b"), "score", 0.5)))
                .build());
        String storedId = String.valueOf(tables.all("verist_blocks").get(0).get("id"));

        assertThat(store.getBlock("wf", "r")).contains(new Block(storedId, "wf", "r", "s1", BlockType.REVIEW,
                "check it", Map.of("doc", 1, "tags", List.of("a", "b"), "score", 0.5), null, state.updatedAt()));
        assertThat(storedId).matches("[0-9]+");
    }

    @Test
    void getBlockReturnsTheActiveSuspendBlockWithCheckpointAndResumeStep() {
        RunState state = store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.suspend("wait", Map.of("cursor", 7), "resume-here")).build());
        String storedId = String.valueOf(tables.all("verist_blocks").get(0).get("id"));

        assertThat(store.getBlock("wf", "r")).contains(new Block(storedId, "wf", "r", "s1", BlockType.SUSPEND,
                "wait", Map.of("cursor", 7), "resume-here", state.updatedAt()));
    }

    @Test
    void getBlockIsEmptyForRunWithoutBlockAndForMissingRunAndForOtherRuns() {
        store.commit(Commit.builder("wf", "plain", "s1").command(Command.invoke("next", null)).build());
        store.commit(Commit.builder("wf", "blocked", "s1").command(Command.review("look")).build());

        assertThat(store.getBlock("wf", "plain")).isEmpty();
        assertThat(store.getBlock("wf", "missing")).isEmpty();
        assertThat(store.getBlock("other-wf", "blocked")).isEmpty();
        assertThat(store.getBlock("wf", "blocked")).isPresent();
    }

    @Test
    void afterResolutionGetBlockIsEmptyAndANewBlockingCommitIsAccepted() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("first")).build());
        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isPresent();

        assertThat(store.getBlock("wf", "r")).isEmpty();

        store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .command(Command.suspend("second", Map.of("c", 1))).build());
        assertThat(store.getBlock("wf", "r")).hasValueSatisfying(b -> {
            assertThat(b.reason()).isEqualTo("second");
            assertThat(b.type()).isEqualTo(BlockType.SUSPEND);
            assertThat(b.stepId()).isEqualTo("s2");
        });
        assertThat(tables.count("verist_blocks")).isEqualTo(2);
        assertThat(tables.bool("SELECT count(*) = 1 FROM verist_blocks WHERE resolved_at IS NULL")).isTrue();
    }

    // ---- helpers ----


}
