package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StoredEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What waits for a person across runs, and who resolved it: the store side of an operator's inbox. */
@StoreContract
class InboxTest extends StoreTest {

    // ---------------------------------------------------------------------------------------- the inbox

    @Test
    void activeBlocksAreNewestFirstAcrossRunsAndPageBeforeTheLastIdOfAPage() {
        for (int i = 1; i <= 5; i++) {
            review("wf", "r" + i);
        }

        List<Block> first = store.activeBlocks(null, null, null, 2);
        List<Block> second = store.activeBlocks(null, null, first.get(1).id(), 2);
        List<Block> last = store.activeBlocks(null, null, second.get(1).id(), 2);

        assertThat(first).extracting(Block::runId).containsExactly("r5", "r4");
        assertThat(second).extracting(Block::runId).containsExactly("r3", "r2");
        assertThat(last).extracting(Block::runId).containsExactly("r1");
        assertThat(first.get(0)).satisfies(b -> {
            assertThat(b.type()).isEqualTo(BlockType.REVIEW);
            assertThat(b.reason()).isEqualTo("look at r5");
            assertThat(b.payload()).isEqualTo(Map.of("run", "r5"));
        });
    }

    @Test
    void activeBlocksFilterByWorkflowAndTypeAndLeaveResolvedOnesOut() {
        review("wf", "a");
        suspend("wf", "b");
        review("other", "c");
        review("wf", "done");
        store.resolveBlock("wf", "done", Resolution.approve());

        assertThat(store.activeBlocks(null, null, null, 10)).extracting(Block::runId).containsExactly("c", "b", "a");
        assertThat(store.activeBlocks("wf", null, null, 10)).extracting(Block::runId).containsExactly("b", "a");
        assertThat(store.activeBlocks("wf", BlockType.SUSPEND, null, 10)).extracting(Block::runId)
                .containsExactly("b");
        assertThat(store.activeBlocks(null, BlockType.REVIEW, null, 10)).extracting(Block::runId)
                .containsExactly("c", "a");
        assertThat(store.activeBlocks("nobody", null, null, 10)).isEmpty();
    }

    @Test
    void waitingRunsAreTheActiveBlocksEachWithItsRunsStateInOnePage() {
        for (int i = 1; i <= 3; i++) {
            store.commit(Commit.builder("wf", "r" + i, "s").output(Map.of("n", i))
                    .command(Command.review("look at r" + i)).build());
        }
        suspend("other", "x");
        store.setOverlay("wf", "r2", Map.of("n", 20));

        List<WaitingRun> first = store.waitingRuns(null, null, null, 2);
        List<WaitingRun> rest = store.waitingRuns(null, null, first.get(1).block().id(), 10);

        assertThat(first).extracting(WaitingRun::block).isEqualTo(store.activeBlocks(null, null, null, 2));
        assertThat(rest).extracting(WaitingRun::block)
                .isEqualTo(store.activeBlocks(null, null, first.get(1).block().id(), 10));
        List<WaitingRun> all = Stream.concat(first.stream(), rest.stream()).toList();
        assertThat(all).extracting(w -> w.block().runId()).containsExactly("x", "r3", "r2", "r1");
        for (WaitingRun waiting : all) {
            assertThat(waiting.state()).as(waiting.block().runId())
                    .isEqualTo(store.load(waiting.block().workflowId(), waiting.block().runId()).orElseThrow());
        }
        assertThat(all.get(2).state().effective()).as("the overlay is part of the state").containsEntry("n", 20);
        assertThat(store.waitingRuns("wf", BlockType.REVIEW, null, 10)).extracting(w -> w.block().runId())
                .containsExactly("r3", "r2", "r1");
        assertThat(store.waitingRuns("other", BlockType.REVIEW, null, 10)).isEmpty();
    }

    @Test
    void anInboxPageOfWaitingRunsWalksTheBlocksKeyBackwardsAndFindsEachStateByItsKey() {
        // 5,000 runs, each with a state row and an active block, and as many resolved blocks
        tables.update("""
                INSERT INTO verist_state (workflow_id, run_id, version, computed)
                SELECT 'wf', 'r' || g, 1, '{"n":1}'::jsonb FROM generate_series(1, 5000) g""");
        tables.update("""
                INSERT INTO verist_blocks (workflow_id, run_id, step_id, type, reason, resolution, resolved_at)
                SELECT 'wf', 'r' || g, 's', 'review', 'done', '{"approved":true}'::jsonb, now()
                FROM generate_series(1, 5000) g""");
        tables.update("""
                INSERT INTO verist_blocks (workflow_id, run_id, step_id, type, reason)
                SELECT 'wf', 'r' || g, 's2', 'review', 'look' FROM generate_series(1, 5000) g""");
        tables.execute("ANALYZE verist_state");
        tables.execute("ANALYZE verist_blocks");

        // the statement the store runs (read from BlockSql), for the first page and a later one
        String page = Tables.storeSql("BlockSql", "WAITING_RUNS");
        for (String plan : List.of(tables.explain(page, null, null, null, null, null, null, 50),
                tables.explain(page, "wf", "wf", "review", "review", 9000L, 9000L, 50))) {
            assertThat(plan).as(plan)
                    .contains("Index Scan Backward using verist_blocks_pkey on verist_blocks")
                    .contains("Index Scan using verist_state_pkey on verist_state")
                    .doesNotContain("Sort")
                    .doesNotContain("Seq Scan")
                    .doesNotContain("Bitmap");
        }
        assertThat(store.waitingRuns("wf", null, null, 50)).hasSize(50)
                .allSatisfy(w -> assertThat(w.state().computed()).isEqualTo(Map.of("n", 1)));
    }

    // ---------------------------------------------------------------------------------------- who resolved

    @Test
    void resolvingWithAResolverRecordsWhoAndWhatAsAnAuditEventOfTheBlockedStep() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look")).build());
        String blockId = store.getBlock("wf", "r").orElseThrow().id();

        assertThat(store.resolveBlock("wf", "r", Resolution.reject(), "operator")).isPresent();

        StoredEvent event = lastEvent("wf", "r");
        assertThat(event.type()).isEqualTo(PgRunStore.BLOCK_RESOLVED_EVENT);
        assertThat(event.stepId()).isEqualTo("s1");
        assertThat(event.payload()).isEqualTo(Map.of("blockId", blockId, "blockType", "review",
                "resolution", Map.of("approved", false), "resolvedBy", "operator"));
        assertThat(tables.rows("SELECT (e.created_at = b.resolved_at) AS same FROM verist_events e, verist_blocks b"
                + " WHERE e.type = ?", PgRunStore.BLOCK_RESOLVED_EVENT)).singleElement()
                .satisfies(row -> assertThat(row).as("when: the resolution's time").containsEntry("same", true));
    }

    @Test
    void resumingWithAResolverRecordsItsResumeDataAndReleasesTheResumeCommand() {
        suspend("wf", "r");

        store.resolveBlock("wf", "r", Resolution.resume(Map.of("answer", 42)), "auditor@example.org");

        assertThat(lastEvent("wf", "r").payload()).containsEntry("resolution", Map.of("resumeData", Map.of("answer", 42)))
                .containsEntry("blockType", "suspend").containsEntry("resolvedBy", "auditor@example.org");
        assertThat(store.outbox(OutboxStatus.PENDING, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.stepId()).startsWith("resume:"));
    }

    @Test
    void resolvingWhenNothingIsActiveRecordsNothing() {
        review("wf", "r");
        store.resolveBlock("wf", "r", Resolution.approve(), "operator");
        int events = store.events("wf", "r").size();

        assertThat(store.resolveBlock("wf", "r", Resolution.approve(), "someone else")).isEmpty();

        assertThat(store.events("wf", "r")).hasSize(events);
    }

    @Test
    void aResolutionThatDoesNotFitTheBlockRecordsNoResolverAndLeavesItActive() {
        review("wf", "r");
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.resolveBlock("wf", "r", Resolution.resume(1), "operator"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("resolution"));

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------- a run's blocks

    @Test
    void aRunsBlocksAreListedOldestFirstWithTheResolutionsOfTheResolvedOnes() {
        review("wf", "r");
        store.resolveBlock("wf", "r", Resolution.approve(), "operator");
        store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .command(Command.suspend("wait", Map.of("at", 2), "go-on")).build());
        store.resolveBlock("wf", "r", Resolution.resume(Map.of("x", 1)));
        store.commit(Commit.builder("wf", "r", "s3").expectedVersion(2).command(Command.review("again")).build());
        review("wf", "other");

        List<RecordedBlock> blocks = store.blocks("wf", "r");

        assertThat(blocks).extracting(b -> b.block().type())
                .containsExactly(BlockType.REVIEW, BlockType.SUSPEND, BlockType.REVIEW);
        assertThat(blocks).extracting(RecordedBlock::resolution)
                .containsExactly(Resolution.approve(), Resolution.resume(Map.of("x", 1)), null);
        assertThat(blocks).extracting(RecordedBlock::active).containsExactly(false, false, true);
        assertThat(blocks.get(0).resolvedAt()).isNotNull().isAfterOrEqualTo(blocks.get(0).block().createdAt());
        assertThat(blocks.get(2).block()).isEqualTo(store.getBlock("wf", "r").orElseThrow());
        assertThat(store.blocks("wf", "nothing")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- bad input

    @Test
    void badInboxCallsAreInvalidAndWriteNothing() {
        review("wf", "r");

        assertInvalidWritingNothing(() -> store.activeBlocks(" ", null, null, 10), "workflowId");
        assertInvalidWritingNothing(() -> store.activeBlocks(null, null, "1a", 10), "beforeId");
        assertInvalidWritingNothing(() -> store.activeBlocks(null, null, null, 0), "limit");
        assertInvalidWritingNothing(() -> store.waitingRuns(" ", null, null, 10), "workflowId");
        assertInvalidWritingNothing(() -> store.waitingRuns(null, null, "-1", 10), "beforeId");
        assertInvalidWritingNothing(() -> store.waitingRuns(null, null, null, 0), "limit");
        assertInvalidWritingNothing(() -> store.resolveBlock("wf", "r", Resolution.approve(), null), "resolvedBy");
        assertInvalidWritingNothing(() -> store.resolveBlock("wf", "r", Resolution.approve(), " "), "resolvedBy");
        assertInvalidWritingNothing(() -> store.resolveBlock("wf", " ", Resolution.approve(), "operator"), "runId");
        assertInvalidWritingNothing(() -> store.blocks(null, "r"), "workflowId");
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void review(String workflowId, String runId) {
        store.commit(Commit.builder(workflowId, runId, "s")
                .command(Command.review("look at " + runId, Map.of("run", runId))).build());
    }

    private void suspend(String workflowId, String runId) {
        store.commit(Commit.builder(workflowId, runId, "s")
                .command(Command.suspend("wait for " + runId, Map.of("at", 1), "go-on")).build());
    }

    private StoredEvent lastEvent(String workflowId, String runId) {
        List<StoredEvent> events = store.events(workflowId, runId);
        return events.get(events.size() - 1);
    }
}
