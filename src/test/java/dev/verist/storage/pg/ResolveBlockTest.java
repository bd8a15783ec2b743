package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.DedupeKeys;
import dev.verist.storage.InvalidRequestException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code resolveBlock}, including the shared dedupe vectors. */
@StoreContract
class ResolveBlockTest extends StoreTest {

    // ---- review ----

    @Test
    void approveReleasesTheReviewedStepsDeferredRowsToPendingWithLeaseFieldsCleared() {
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.review("look"))
                .command(Command.invoke("a", Map.of("i", 1)))
                .command(Command.emit("t", Map.of("i", 2)))
                .build());
        // defensive clearing (B.8 step 4): dirty lease fields on deferred rows are reset
        tables.update("UPDATE verist_outbox SET lease_owner = 'ghost', lease_expires_at = now() + interval '1 hour'");

        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isPresent();

        assertThat(tables.all("verist_outbox")).hasSize(2).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "pending")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("failures", 0));
        assertThat(store.leaseOutbox("d", 10)).extracting(OutboxEntry::command)
                .containsExactly(Command.invoke("a", Map.of("i", 1)), Command.emit("t", Map.of("i", 2)));
    }

    @Test
    void approveLeavesDeferredRowsOfOtherStepsAndOtherRunsUntouched() {
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.review("look"))
                .command(Command.invoke("a", 1))
                .build());
        store.commit(Commit.builder("wf", "r2", "s1")
                .command(Command.review("look too"))
                .command(Command.invoke("a", 1))
                .build());
        // a deferred row of another step of the same run (e.g. written by an earlier tool version)
        tables.update("INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status)"
                + " VALUES ('wf', 'r', 's0', '{\"type\":\"invoke\",\"step\":\"x\",\"input\":null}'::jsonb,"
                + " repeat('0', 64), 'deferred')");

        store.resolveBlock("wf", "r", Resolution.approve());

        assertThat(statusByRunAndStep()).containsExactly(
                "r/s1=pending", "r2/s1=deferred", "r/s0=deferred");
    }

    @Test
    void rejectMarksTheDeferredRowsRejectedAndTheyAreNeverLeased() {
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.review("look"))
                .command(Command.invoke("a", 1))
                .command(Command.invoke("b", 2))
                .build());

        assertThat(store.resolveBlock("wf", "r", Resolution.reject()))
                .contains(new ResolvedBlock("1", BlockType.REVIEW, new Resolution.Review(false)));

        assertThat(tables.all("verist_outbox")).hasSize(2).allSatisfy(row -> assertThat(row)
                .containsEntry("status", "rejected")
                .containsEntry("lease_owner", null));
        assertThat(tables.bool("SELECT resolution = '{\"approved\": false}'::jsonb FROM verist_blocks")).isTrue();
        assertThat(store.leaseOutbox("d", 10)).isEmpty();
        assertThat(store.getBlock("wf", "r")).isEmpty();
    }

    @Test
    void approveStoresExactResolutionAndDatabaseResolvedAtAndReturnsResolvedBlock() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look", Map.of("doc", 1))).build());
        String blockId = String.valueOf(tables.all("verist_blocks").get(0).get("id"));
        BigDecimal before = dbClock();

        Optional<ResolvedBlock> resolved = store.resolveBlock("wf", "r", Resolution.approve());

        BigDecimal after = dbClock();
        assertThat(resolved).contains(new ResolvedBlock(blockId, BlockType.REVIEW, new Resolution.Review(true)));
        assertThat(tables.bool("SELECT resolution = '{\"approved\": true}'::jsonb FROM verist_blocks")).isTrue();
        BigDecimal resolvedAt = epoch("SELECT extract(epoch FROM resolved_at) FROM verist_blocks");
        assertThat(resolvedAt).isBetween(before, after);
        assertThat(tables.bool("SELECT resolved_at > created_at FROM verist_blocks")).isTrue();
    }

    @Test
    void secondResolveOfReviewIsEmptyAndChangesNothing() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look"))
                .command(Command.invoke("a", 1)).build());
        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isPresent();
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isEmpty();
        assertThat(store.resolveBlock("wf", "r", Resolution.reject())).isEmpty();

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void resolveWithNothingActiveIsEmptyWithoutValidatingTheKind() {
        store.commit(Commit.builder("wf", "r", "s1").build());

        assertThat(store.resolveBlock("wf", "r", Resolution.resume(Map.of("x", 1)))).isEmpty();
        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isEmpty();
        assertThat(store.resolveBlock("wf", "missing", Resolution.reject())).isEmpty();
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void resolutionOfTheWrongKindIsInvalidRequestAndWritesNothing() {
        store.commit(Commit.builder("wf", "review", "s1").command(Command.review("look"))
                .command(Command.invoke("a", 1)).build());
        store.commit(Commit.builder("wf", "suspend", "s1").command(Command.suspend("wait", Map.of())).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.resolveBlock("wf", "review", Resolution.resume("data")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.resolveBlock("wf", "suspend", Resolution.approve()))
                .isInstanceOf(InvalidRequestException.class);

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.getBlock("wf", "review")).isPresent();
        assertThat(store.getBlock("wf", "suspend")).isPresent();
    }

    // ---- suspend + resume ----

    @Test
    void resumeWritesPendingResumeRowWithExactCommandAndDedupeKey() {
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.suspend("wait", Map.of("page", 3, "seen", List.of("a")), "handler")).build());
        String blockId = String.valueOf(tables.all("verist_blocks").get(0).get("id"));

        Optional<ResolvedBlock> resolved = store.resolveBlock("wf", "r", Resolution.resume(Map.of("answer", "yes")));

        assertThat(resolved).contains(new ResolvedBlock(blockId, BlockType.SUSPEND,
                Resolution.resume(Map.of("answer", "yes"))));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("checkpoint", Map.of("page", 3, "seen", List.of("a")));
        input.put("resumeData", Map.of("answer", "yes"));
        String expectedKey = DedupeKeys.of("wf", "r", "resume:" + blockId, Command.invoke("handler", input));
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("workflow_id", "wf")
                .containsEntry("run_id", "r")
                .containsEntry("step_id", "resume:" + blockId)
                .containsEntry("status", "pending")
                .containsEntry("dedupe_key", expectedKey)
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("failures", 0)
                .containsEntry("last_error", null)
                .containsEntry("dispatched_at", null));
        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"handler\",\"input\":"
                + "{\"checkpoint\":{\"page\":3,\"seen\":[\"a\"]},\"resumeData\":{\"answer\":\"yes\"}}}'::jsonb"
                + " FROM verist_outbox")).isTrue();
        assertThat(tables.bool("SELECT resolution = '{\"resumeData\":{\"answer\":\"yes\"}}'::jsonb FROM verist_blocks"))
                .isTrue();
        // one clock per call: the resume row and the resolution share the database's now()
        assertThat(tables.bool("SELECT o.created_at = b.resolved_at FROM verist_outbox o, verist_blocks b")).isTrue();
        assertThat(store.getBlock("wf", "r")).isEmpty();
        assertThat(store.leaseOutbox("d", 10)).singleElement()
                .satisfies(e -> assertThat(e.command()).isEqualTo(Command.invoke("handler", input)));
    }

    @Test
    void resumeWithoutResumeStepInvokesTheSuspendingStep() {
        store.commit(Commit.builder("wf", "r", "collect").command(Command.suspend("wait", Map.of("c", 1))).build());

        store.resolveBlock("wf", "r", Resolution.resume("go"));

        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"collect\",\"input\":"
                + "{\"checkpoint\":{\"c\":1},\"resumeData\":\"go\"}}'::jsonb FROM verist_outbox")).isTrue();
    }

    @Test
    void resumeWithNullDataStoresResumeDataNull() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("wait", Map.of("c", 1), "h")).build());

        Optional<ResolvedBlock> resolved = store.resolveBlock("wf", "r", Resolution.resume(null));

        assertThat(resolved).hasValueSatisfying(b -> assertThat(b.resolution()).isEqualTo(Resolution.resume(null)));
        assertThat(tables.bool("SELECT resolution = '{\"resumeData\": null}'::jsonb FROM verist_blocks")).isTrue();
        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"h\",\"input\":"
                + "{\"checkpoint\":{\"c\":1},\"resumeData\":null}}'::jsonb FROM verist_outbox")).isTrue();
    }

    @Test
    void suspendWithNullCheckpointResumesWithCheckpointNull() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("wait", null, "h")).build());

        store.resolveBlock("wf", "r", Resolution.resume(Map.of("v", 1)));

        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"h\",\"input\":"
                + "{\"checkpoint\":null,\"resumeData\":{\"v\":1}}}'::jsonb FROM verist_outbox")).isTrue();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("checkpoint", null);
        input.put("resumeData", Map.of("v", 1));
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("dedupe_key", DedupeKeys.of("wf", "r", "resume:1", Command.invoke("h", input))));
    }

    @Test
    void resumeTwiceWritesOnlyOneResumeRow() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("wait", Map.of())).build());

        assertThat(store.resolveBlock("wf", "r", Resolution.resume(Map.of("n", 1)))).isPresent();
        Map<String, List<Map<String, Object>>> before = tables.snapshot();
        assertThat(store.resolveBlock("wf", "r", Resolution.resume(Map.of("n", 1)))).isEmpty();
        assertThat(store.resolveBlock("wf", "r", Resolution.resume(Map.of("n", 2)))).isEmpty();

        assertThat(tables.count("verist_outbox")).isEqualTo(1);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void resolveBlockNeverChangesTheStateRowAndWritesNoEvents() {
        store.commit(Commit.builder("wf", "rev", "s1").output(Map.of("a", 1)).event(AuditEvent.of("e"))
                .command(Command.review("look")).command(Command.invoke("x", 1)).build());
        store.commit(Commit.builder("wf", "sus", "s1").output(Map.of("b", 2)).event(AuditEvent.of("e"))
                .command(Command.suspend("wait", Map.of("c", 3))).build());
        List<Map<String, Object>> state = tables.all("verist_state");
        List<Map<String, Object>> events = tables.all("verist_events");

        store.resolveBlock("wf", "rev", Resolution.approve());
        store.resolveBlock("wf", "sus", Resolution.resume(Map.of("d", 4)));

        assertThat(tables.all("verist_state")).isEqualTo(state);
        assertThat(tables.all("verist_events")).isEqualTo(events);
        assertThat(store.load("wf", "rev")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
        assertThat(store.load("wf", "sus")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    }

    record Answer(String text, int score) {
    }

    @Test
    void recordResumeDataIsConvertedToJson() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.suspend("wait", Map.of(), "h")).build());

        Optional<ResolvedBlock> resolved = store.resolveBlock("wf", "r", Resolution.resume(new Answer("ok", 7)));

        assertThat(resolved).hasValueSatisfying(b -> assertThat(b.resolution())
                .isEqualTo(Resolution.resume(Map.of("text", "ok", "score", 7))));
        assertThat(tables.bool("SELECT resolution = '{\"resumeData\":{\"text\":\"ok\",\"score\":7}}'::jsonb"
                + " FROM verist_blocks")).isTrue();
        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"h\",\"input\":"
                + "{\"checkpoint\":{},\"resumeData\":{\"text\":\"ok\",\"score\":7}}}'::jsonb FROM verist_outbox"))
                .isTrue();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("checkpoint", Map.of());
        input.put("resumeData", Map.of("text", "ok", "score", 7));
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("dedupe_key", DedupeKeys.of("wf", "r", "resume:1", Command.invoke("h", input))));
    }

    // ---- shared vectors (vectors/dedupe-keys.json) ----

    @Test
    void resumeOfBlock42MatchesTheSharedVector() {
        tables.rows("SELECT setval('verist_blocks_id_seq', 41)");
        store.commit(Commit.builder("wf-1", "run-1", "step-1")
                .command(Command.suspend("wait", Map.of(), "resume-handler")).build());

        Optional<ResolvedBlock> resolved = store.resolveBlock("wf-1", "run-1",
                Resolution.resume(Map.of("value", "first")));

        assertThat(resolved).hasValueSatisfying(b -> assertThat(b.id()).isEqualTo("42"));
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("step_id", "resume:42")
                .containsEntry("dedupe_key", "86712d03da715097fe6e60bf37ef7a036df7aff9957f335914b1cdc216a89d79"));
    }

    @Test
    void resumeOfBlock42WithoutResumeStepAndNullCheckpointAndNullDataMatchesTheSharedVector() {
        tables.rows("SELECT setval('verist_blocks_id_seq', 41)");
        store.commit(Commit.builder("wf-1", "run-1", "step-1").command(Command.suspend("wait", null)).build());

        store.resolveBlock("wf-1", "run-1", Resolution.resume(null));

        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("step_id", "resume:42")
                .containsEntry("dedupe_key", "a994b4fd084e087adfc0ddea49fd749d00d92719f0c127131baf921a87a989f8"));
        assertThat(tables.bool("SELECT command = '{\"type\":\"invoke\",\"step\":\"step-1\",\"input\":"
                + "{\"checkpoint\":null,\"resumeData\":null}}'::jsonb FROM verist_outbox")).isTrue();
    }

    // ---- helpers ----

    private List<String> statusByRunAndStep() {
        return tables.rows("SELECT run_id || '/' || step_id || '=' || status AS s FROM verist_outbox ORDER BY id")
                .stream().map(row -> (String) row.get("s")).toList();
    }

    private BigDecimal dbClock() {
        return epoch("SELECT extract(epoch FROM clock_timestamp())");
    }

    private BigDecimal epoch(String sql) {
        Object value = tables.rows(sql).get(0).values().iterator().next();
        return new BigDecimal(value.toString());
    }


}
