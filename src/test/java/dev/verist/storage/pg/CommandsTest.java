package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.DedupeKeys;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Non-blocking commands in the outbox. */
@StoreContract
class CommandsTest extends StoreTest {

    @Test
    void nonBlockingCommandsAreWrittenPendingAsTheKernelWritesThem() {
        store.commit(Commit.builder("wf", "r", "plan")
                .command(Command.invoke("extract", Map.of("doc", "a.pdf", "pages", 3)))
                .command(Command.fanout("score", List.of(1, "two", Map.of("three", 3.5))))
                .command(Command.emit("planned", Map.of("ok", true)))
                .command(Command.invoke("nothing", null))
                .build());

        assertThat(tables.all("verist_outbox")).hasSize(4).allSatisfy(row -> assertThat(row)
                .containsEntry("workflow_id", "wf")
                .containsEntry("run_id", "r")
                .containsEntry("step_id", "plan")
                .containsEntry("status", "pending")
                .containsEntry("lease_owner", null)
                .containsEntry("lease_expires_at", null)
                .containsEntry("failures", 0)
                .containsEntry("last_error", null)
                .containsEntry("dispatched_at", null));
        assertStoredCommand(1, "{\"type\":\"invoke\",\"step\":\"extract\",\"input\":{\"doc\":\"a.pdf\",\"pages\":3}}");
        assertStoredCommand(2, "{\"type\":\"fanout\",\"step\":\"score\",\"inputs\":[1,\"two\",{\"three\":3.5}]}");
        assertStoredCommand(3, "{\"type\":\"emit\",\"topic\":\"planned\",\"payload\":{\"ok\":true}}");
        // an absent input is written as JSON null, the key present
        assertStoredCommand(4, "{\"type\":\"invoke\",\"step\":\"nothing\",\"input\":null}");
    }

    @Test
    void emitWithNullPayloadWritesPayloadNull() {
        store.commit(Commit.builder("wf", "r", "s").command(Command.emit("t", null)).build());

        assertStoredCommand(1, "{\"type\":\"emit\",\"topic\":\"t\",\"payload\":null}");
    }

    @Test
    void dedupeKeyIsDedupeKeysOfTheCommandAndLowercaseHex() {
        List<Command> commands = List.of(
                Command.invoke("extract", Map.of("doc", "a.pdf")),
                Command.fanout("score", List.of(1, 2)),
                Command.emit("planned", Map.of("ok", true)));
        store.commit(Commit.builder("wf", "r", "plan").commands(commands).build());

        List<String> keys = tables.rows("SELECT dedupe_key FROM verist_outbox ORDER BY id").stream()
                .map(row -> (String) row.get("dedupe_key")).toList();
        assertThat(keys).containsExactly(
                DedupeKeys.of("wf", "r", "plan", commands.get(0)),
                DedupeKeys.of("wf", "r", "plan", commands.get(1)),
                DedupeKeys.of("wf", "r", "plan", commands.get(2)));
        assertThat(keys).allSatisfy(k -> assertThat(k).matches("[0-9a-f]{64}"));
        // and the key is the SHA-256 of the canonical (sorted, compact) JSON the kernel hashes
        assertThat(keys.get(0)).isEqualTo(sha256Hex("{\"command\":{\"input\":{\"doc\":\"a.pdf\"},\"step\":\"extract\","
                + "\"type\":\"invoke\"},\"runId\":\"r\",\"stepId\":\"plan\",\"workflowId\":\"wf\"}"));
    }

    @Test
    void reviewPayloadAndSuspendResumeStepAreOmittedWhenNull() {
        // what the kernel hashes: the review helper leaves payload out; suspend leaves resumeStep out
        assertThat(DedupeKeys.of("wf", "r", "s", Command.review("why"))).isEqualTo(sha256Hex(
                "{\"command\":{\"reason\":\"why\",\"type\":\"review\"},\"runId\":\"r\",\"stepId\":\"s\","
                        + "\"workflowId\":\"wf\"}"));
        assertThat(DedupeKeys.of("wf", "r", "s", Command.review("why", Map.of("a", 1)))).isEqualTo(sha256Hex(
                "{\"command\":{\"payload\":{\"a\":1},\"reason\":\"why\",\"type\":\"review\"},\"runId\":\"r\","
                        + "\"stepId\":\"s\",\"workflowId\":\"wf\"}"));
        assertThat(DedupeKeys.of("wf", "r", "s", Command.suspend("wait", null))).isEqualTo(sha256Hex(
                "{\"command\":{\"checkpoint\":null,\"reason\":\"wait\",\"type\":\"suspend\"},\"runId\":\"r\","
                        + "\"stepId\":\"s\",\"workflowId\":\"wf\"}"));
        assertThat(DedupeKeys.of("wf", "r", "s", Command.suspend("wait", null, "h"))).isEqualTo(sha256Hex(
                "{\"command\":{\"checkpoint\":null,\"reason\":\"wait\",\"resumeStep\":\"h\",\"type\":\"suspend\"},"
                        + "\"runId\":\"r\",\"stepId\":\"s\",\"workflowId\":\"wf\"}"));
        // and what is stored for them: a review without payload, a suspend without resumeStep
        store.commit(Commit.builder("wf", "rev", "s").command(Command.review("why")).build());
        store.commit(Commit.builder("wf", "sus", "s").command(Command.suspend("wait", null)).build());
        assertThat(tables.rows("SELECT run_id, payload IS NULL AS no_payload, resume_step FROM verist_blocks"
                + " ORDER BY id")).containsExactly(row("rev", true, null), row("sus", true, "s"));
    }

    @Test
    void sameCommandFromTheSameStepOnTheNextVersionIsCommandExistsAndRollsBackTheCommit() {
        store.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).event(AuditEvent.of("first"))
                .command(Command.invoke("next", Map.of("k", "v"))).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s1").expectedVersion(1)
                .output(Map.of("a", 2))
                .event(AuditEvent.of("redelivered"))
                .command(Command.emit("fresh", Map.of("new", true)))
                .command(Command.invoke("next", Map.of("k", "v")))
                .build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.COMMAND_EXISTS);
                    assertThat(e.getMessage()).contains("wf/r");
                });

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> {
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.computed()).isEqualTo(Map.of("a", 1));
        });
        assertThat(store.events("wf", "r")).extracting(e -> e.type()).containsExactly("first");
    }

    @Test
    void commandExistsAlsoWhenTheCommandWasReleasedFromAReview() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.review("look"))
                .command(Command.invoke("next", 1)).build());
        store.resolveBlock("wf", "r", Resolution.approve());

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s1").expectedVersion(1)
                .command(Command.invoke("next", 1)).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.COMMAND_EXISTS));
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    }

    @Test
    void sameCommandFromADifferentStepOrRunIsAccepted() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.invoke("next", Map.of("k", "v"))).build());
        store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .command(Command.invoke("next", Map.of("k", "v"))).build());
        store.commit(Commit.builder("wf", "r2", "s1").command(Command.invoke("next", Map.of("k", "v"))).build());

        assertThat(tables.rows("SELECT count(DISTINCT dedupe_key) AS n FROM verist_outbox").get(0).get("n"))
                .isEqualTo(3L);
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(2));
    }

    @Test
    void identicalCommandsInOneCommitAreInvalidRequestAndWriteNothing() {
        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s1")
                .event(AuditEvent.of("e"))
                .command(Command.invoke("next", Map.of("k", "v")))
                .command(Command.emit("other", 1))
                .command(Command.invoke("next", Map.of("k", "v")))
                .build()))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((StorageException) e).code().name()).isEqualTo("SERIALIZATION_ERROR"));
        assertThat(tables.counts()).isEqualTo("state=0, events=0, outbox=0, blocks=0");

        // also on an update, next to a review (reference quirk B.5 notes: it would commit state, events, block)
        store.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();
        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .output(Map.of("a", 2))
                .event(AuditEvent.of("e"))
                .command(Command.review("look"))
                .command(Command.emit("t", 1.0))
                .command(Command.emit("t", 1))
                .build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void identicalSiblingsOfASuspendAreDiscardedNotRejected() {
        // A.11: the duplicate rule applies to the commands that are written; a suspend writes none
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.suspend("wait", Map.of()))
                .command(Command.invoke("x", 1))
                .command(Command.invoke("x", 1))
                .build());

        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=1");
    }

    @Test
    void leasedCommandsReadBackAsEqualRecordsWithIntegerAndDoubleNumbers() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("int", 1);
        input.put("double", 0.8);
        input.put("wholeDouble", 1.0);
        input.put("long", 10_000_000_000L);
        input.put("text", "ünïcödé ✓");
        input.put("flag", false);
        input.put("nothing", null);
        input.put("nested", List.of(1, "two", Map.of("x", 2.5, "y", List.of())));
        List<Command> commands = List.of(
                Command.invoke("a", input),
                Command.fanout("b", List.of(Map.of("i", 1), Map.of("i", 2))),
                Command.emit("c", List.of(1, 2.5)),
                Command.emit("d", "just text"),
                Command.invoke("e", null));
        store.commit(Commit.builder("wf", "r", "s1").commands(commands).build());

        List<OutboxEntry> leased = store.leaseOutbox("d", 10);

        assertThat(leased).extracting(OutboxEntry::command).containsExactlyElementsOf(commands);
        Map<?, ?> read = (Map<?, ?>) ((Command.Invoke) leased.get(0).command()).input();
        assertThat(read.get("int")).isInstanceOf(Integer.class);
        assertThat(read.get("double")).isInstanceOf(Double.class);
        assertThat(read.get("wholeDouble")).isInstanceOf(Double.class).isEqualTo(1.0);
        assertThat(read.get("long")).isInstanceOf(Long.class);
        assertThat(read.containsKey("nothing")).isTrue();
        assertThat(leased).allSatisfy(e -> assertThat(e.dedupeKey())
                .isEqualTo(DedupeKeys.of("wf", "r", "s1", e.command())));
    }

    record Doc(String name, int pages) {
    }

    @Test
    void recordInputIsStoredAsJsonAndHashedLikeTheEquivalentMap() {
        store.commit(Commit.builder("wf", "r", "s1").command(Command.invoke("read", new Doc("a.pdf", 3))).build());

        assertStoredCommand(1, "{\"type\":\"invoke\",\"step\":\"read\",\"input\":{\"name\":\"a.pdf\",\"pages\":3}}");
        String key = DedupeKeys.of("wf", "r", "s1", Command.invoke("read", Map.of("name", "a.pdf", "pages", 3)));
        assertThat(tables.all("verist_outbox")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("dedupe_key", key));
        assertThat(DedupeKeys.of("wf", "r", "s1", Command.invoke("read", new Doc("a.pdf", 3)))).isEqualTo(key);
        assertThat(store.leaseOutbox("d", 1)).singleElement().satisfies(e -> assertThat(e.command())
                .isEqualTo(Command.invoke("read", Map.of("name", "a.pdf", "pages", 3))));
    }

    // ---- helpers ----

    private void assertStoredCommand(long id, String json) {
        List<Map<String, Object>> rows = tables.rows(
                "SELECT command = ?::jsonb AS same, command::text AS stored FROM verist_outbox WHERE id = ?", json, id);
        assertThat(rows).as("outbox row " + id).hasSize(1);
        assertThat(rows.get(0).get("same")).as("row %d: stored %s, expected %s", id, rows.get(0).get("stored"), json)
                .isEqualTo(true);
    }

    private static Map<String, Object> row(String runId, boolean noPayload, String resumeStep) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run_id", runId);
        row.put("no_payload", noPayload);
        row.put("resume_step", resumeStep);
        return row;
    }


    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
