package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.LlmTrace;
import dev.verist.storage.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is rejected with {@link InvalidRequestException} naming the field, before
 * the database is touched. Every case starts from a database with something in every table that the call,
 * were it not rejected, could change: run {@code wf/r} at version 1 with an event and two outbox rows (id 1
 * leased by {@code d}, id 2 pending), and run {@code wf/r2} with an active suspend block.
 */
@StoreContract
class ValidationTest extends StoreTest {

    private static final String WF = "wf";
    private static final String RUN = "r";
    private static final String SUSPENDED = "r2";
    private static final String NUL = "a\u0000b";
    private static final String LONE_HIGH = "x\uD83Dy";
    private static final String LONE_LOW = "x\uDE00";
    private static final String SWAPPED = "\uDE00\uD83D";
    private static final String CHARS_1000 = "w".repeat(1000);
    private static final String CHARS_1001 = "w".repeat(1001);
    private static final String EMOJI_1000_CHARS = "😀".repeat(500);
    private static final String EMOJI_1002_CHARS = "😀".repeat(501); // 501 code points, 1002 chars
    private static final LlmTrace TRACE = new LlmTrace("m", 1, 2, 3.0, "sha256:in", "sha256:out", null, null);

    @FunctionalInterface
    interface Call {
        void run(PgRunStore store);
    }

    @BeforeEach
    void existingRuns() {
        store.commit(Commit.builder(WF, RUN, "s0")
                .output(Map.of("a", 1))
                .event(AuditEvent.of("created", Map.of("n", 1)))
                .command(Command.invoke("next", Map.of("i", 1)))
                .command(Command.invoke("next", Map.of("i", 2)))
                .build());
        assertThat(store.leaseOutbox("d", 1)).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("1"));
        store.commit(Commit.builder(WF, SUSPENDED, "s0").command(Command.suspend("wait", Map.of("cp", 1))).build());
    }

    // ------------------------------------------------------------------ the table of bad inputs

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("badRequests")
    void badInputIsInvalidRequestNamingTheFieldAndWritesNothing(Call call, String field) {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> call.run(store)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(field);
            assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
        });

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();

        // --- ids of a commit: null, blank, whitespace only, too long, unstorable
        for (String bad : new String[] {null, "", " ", "\t\n ", "\u2003", CHARS_1001, EMOJI_1002_CHARS, NUL, LONE_HIGH}) {
            String shown = show(bad);
            cases.add(bad("commit workflowId " + shown, "workflowId",
                    s -> s.commit(Commit.builder(bad, "new-run", "s1").output(Map.of("a", 1)).build())));
            cases.add(bad("commit runId " + shown, "runId",
                    s -> s.commit(Commit.builder(WF, bad, "s1").output(Map.of("a", 1)).build())));
            cases.add(bad("commit stepId " + shown, "stepId",
                    s -> s.commit(Commit.builder(WF, RUN, bad).expectedVersion(1).output(Map.of("a", 2)).build())));
        }

        // --- commit shape
        cases.add(bad("expectedVersion -1", "expectedVersion",
                s -> s.commit(update().expectedVersion(-1).build())));
        cases.add(bad("expectedVersion MIN_VALUE", "expectedVersion",
                s -> s.commit(update().expectedVersion(Integer.MIN_VALUE).build())));
        cases.add(bad("null commit", "commit", s -> s.commit(null)));
        cases.add(bad("null output (builder)", "output", s -> s.commit(update().output(null).build())));
        cases.add(bad("null output (constructor)", "output",
                s -> s.commit(new Commit(WF, RUN, "s1", 1, null, List.of(), List.of()))));
        cases.add(bad("null event in list", "events[1]",
                s -> s.commit(update().event(AuditEvent.of("ok")).event(null).build())));

        // --- events
        for (String bad : new String[] {null, "", "   ", NUL, LONE_LOW}) {
            cases.add(bad("event type " + show(bad), "events[0].type",
                    s -> s.commit(update().event(new AuditEvent(bad, null, null)).build())));
        }
        cases.add(bad("second event type blank", "events[1].type",
                s -> s.commit(update().event(AuditEvent.of("ok")).event(AuditEvent.of(" ")).build())));

        // --- llmTrace (kernel invariant #8)
        for (String bad : new String[] {null, "", " \t"}) {
            cases.add(trace("trace model " + show(bad), "events[0].llmTrace.model",
                    new LlmTrace(bad, 1, 2, 3.0, "h1", "h2", null, null)));
            cases.add(trace("trace inputHash " + show(bad), "events[0].llmTrace.inputHash",
                    new LlmTrace("m", 1, 2, 3.0, bad, "h2", null, null)));
            cases.add(trace("trace outputHash " + show(bad), "events[0].llmTrace.outputHash",
                    new LlmTrace("m", 1, 2, 3.0, "h1", bad, null, null)));
        }
        cases.add(trace("trace promptTokens -1", "events[0].llmTrace.promptTokens",
                new LlmTrace("m", -1, 2, 3.0, "h1", "h2", null, null)));
        cases.add(trace("trace completionTokens -1", "events[0].llmTrace.completionTokens",
                new LlmTrace("m", 1, -1, 3.0, "h1", "h2", null, null)));
        for (double bad : new double[] {-1.0, -0.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            cases.add(trace("trace durationMs " + bad, "events[0].llmTrace.durationMs",
                    new LlmTrace("m", 1, 2, bad, "h1", "h2", null, null)));
        }

        // --- commands: kernel schemas
        cases.add(bad("null command", "commands[0]", s -> s.commit(update().command(null).build())));
        cases.add(bad("null command after a good one", "commands[1]",
                s -> s.commit(update().command(Command.invoke("ok", 1)).command(null).build())));
        for (String bad : new String[] {null, "", "  "}) {
            String shown = show(bad);
            cases.add(command("invoke step " + shown, "commands[0].step", Command.invoke(bad, 1)));
            cases.add(command("fanout step " + shown, "commands[0].step", Command.fanout(bad, List.of(1))));
            cases.add(command("review reason " + shown, "commands[0].reason", Command.review(bad)));
            cases.add(command("emit topic " + shown, "commands[0].topic", Command.emit(bad, 1)));
            cases.add(command("suspend reason " + shown, "commands[0].reason", Command.suspend(bad, 1)));
        }
        cases.add(command("fanout with null inputs", "commands[0].inputs", Command.fanout("f", null)));
        cases.add(command("suspend resumeStep empty", "commands[0].resumeStep", Command.suspend("why", 1, "")));
        cases.add(command("suspend resumeStep blank", "commands[0].resumeStep", Command.suspend("why", 1, "  ")));
        cases.add(command("review reason with U+0000", "commands[0].reason", Command.review(NUL)));
        cases.add(bad("second command invoke step blank", "commands[1].step",
                s -> s.commit(update().command(Command.emit("t", 1)).command(Command.invoke(" ", 1)).build())));

        // --- commands: one blocking at most, no duplicates among the written ones
        cases.add(bad("review and suspend", "commands", s -> s.commit(update()
                .command(Command.review("a")).command(Command.suspend("b", null)).build())));
        cases.add(bad("review and review", "commands", s -> s.commit(update()
                .command(Command.review("a")).command(Command.review("b")).build())));
        cases.add(bad("suspend and suspend", "commands", s -> s.commit(update()
                .command(Command.suspend("a", 1)).command(Command.invoke("x", 1)).command(Command.suspend("b", 2)).build())));
        cases.add(bad("two identical invokes", "commands", s -> s.commit(update()
                .command(Command.invoke("next", Map.of("k", 1))).command(Command.invoke("next", Map.of("k", 1))).build())));
        cases.add(bad("two identical emits among others", "commands", s -> s.commit(update()
                .command(Command.emit("t", "p")).command(Command.invoke("x", 1)).command(Command.emit("t", "p")).build())));
        cases.add(bad("two identical invokes deferred by a review", "commands", s -> s.commit(update()
                .command(Command.invoke("x", 1)).command(Command.review("look")).command(Command.invoke("x", 1)).build())));
        cases.add(bad("blank-step invoke beside a suspend", "commands[1].step", s -> s.commit(update()
                .command(Command.suspend("wait", Map.of("c", 1))).command(Command.invoke("", 1)).build())));
        cases.add(bad("fanout without inputs beside a suspend", "commands[0].inputs", s -> s.commit(update()
                .command(Command.fanout("f", null)).command(Command.suspend("wait", null)).build())));

        // --- strings PostgreSQL cannot store, anywhere in the JSON
        for (String bad : new String[] {NUL, LONE_HIGH, LONE_LOW, SWAPPED}) {
            String shown = show(bad);
            cases.add(bad("output value " + shown, "output.a",
                    s -> s.commit(update().output(Map.of("a", bad, "ok", "fine")).build())));
            cases.add(bad("output nested list element " + shown, "output.a[1]",
                    s -> s.commit(update().output(Map.of("a", List.of("ok", bad))).build())));
            cases.add(bad("output deep " + shown, "output.a.b[2].c",
                    s -> s.commit(update().output(Map.of("a", Map.of("b", List.of(1, 2, Map.of("c", bad))))).build())));
            cases.add(bad("output key " + shown, "output",
                    s -> s.commit(update().output(Map.of("k" + bad, 1)).build())));
            cases.add(bad("output nested key " + shown, "output.a",
                    s -> s.commit(update().output(Map.of("a", Map.of("k" + bad, 1))).build())));
            cases.add(bad("event payload " + shown, "events[0].payload.p",
                    s -> s.commit(update().event(AuditEvent.of("t", Map.of("p", bad))).build())));
            cases.add(bad("invoke input " + shown, "commands[0].input.x",
                    s -> s.commit(update().command(Command.invoke("next", Map.of("x", bad))).build())));
            cases.add(bad("fanout input element " + shown, "commands[0].inputs[1]",
                    s -> s.commit(update().command(Command.fanout("f", List.of("ok", bad))).build())));
            cases.add(bad("emit payload " + shown, "commands[0].payload",
                    s -> s.commit(update().command(Command.emit("t", bad)).build())));
            cases.add(bad("review payload " + shown, "commands[0].payload.d",
                    s -> s.commit(update().command(Command.review("why", Map.of("d", bad))).build())));
            cases.add(bad("suspend checkpoint " + shown, "commands[0].checkpoint.c[0]",
                    s -> s.commit(update().command(Command.suspend("why", Map.of("c", List.of(bad)))).build())));
            cases.add(bad("trace input " + shown, "events[0].llmTrace.input.prompt",
                    s -> s.commit(update().event(new AuditEvent("llm", null,
                            new LlmTrace("m", 1, 2, 3.0, "h1", "h2", Map.of("prompt", bad), null))).build())));
            cases.add(bad("trace output " + shown, "events[0].llmTrace.output",
                    s -> s.commit(update().event(new AuditEvent("llm", null,
                            new LlmTrace("m", 1, 2, 3.0, "h1", "h2", null, bad))).build())));
        }

        // --- numbers JSON cannot hold, anywhere in the JSON
        for (Number bad : new Number[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN,
                Float.POSITIVE_INFINITY}) {
            String shown = String.valueOf(bad) + " (" + bad.getClass().getSimpleName() + ")";
            cases.add(bad("output value " + shown, "output.a",
                    s -> s.commit(update().output(Map.of("a", bad)).build())));
            cases.add(bad("output list element " + shown, "output.a[1]",
                    s -> s.commit(update().output(Map.of("a", List.of(1.0, bad))).build())));
            cases.add(bad("event payload " + shown, "events[0].payload.x",
                    s -> s.commit(update().event(AuditEvent.of("t", Map.of("x", bad))).build())));
            cases.add(bad("invoke input " + shown, "commands[0].input",
                    s -> s.commit(update().command(Command.invoke("next", bad)).build())));
            cases.add(bad("review payload " + shown, "commands[0].payload.v",
                    s -> s.commit(update().command(Command.review("why", Map.of("v", bad))).build())));
            cases.add(bad("suspend checkpoint " + shown, "commands[0].checkpoint",
                    s -> s.commit(update().command(Command.suspend("why", bad)).build())));
            cases.add(bad("trace input " + shown, "events[0].llmTrace.input[0]",
                    s -> s.commit(update().event(new AuditEvent("llm", null,
                            new LlmTrace("m", 1, 2, 3.0, "h1", "h2", List.of(bad), null))).build())));
        }

        // --- ids of the other calls
        for (String bad : new String[] {null, "", "  ", CHARS_1001, NUL}) {
            String shown = show(bad);
            cases.add(bad("load workflowId " + shown, "workflowId", s -> s.load(bad, RUN)));
            cases.add(bad("load runId " + shown, "runId", s -> s.load(WF, bad)));
            cases.add(bad("events workflowId " + shown, "workflowId", s -> s.events(bad, RUN)));
            cases.add(bad("events runId " + shown, "runId", s -> s.events(WF, bad)));
            cases.add(bad("events page workflowId " + shown, "workflowId", s -> s.events(bad, RUN, null, 10)));
            cases.add(bad("events page runId " + shown, "runId", s -> s.events(WF, bad, "1", 10)));
            cases.add(bad("getBlock workflowId " + shown, "workflowId", s -> s.getBlock(bad, SUSPENDED)));
            cases.add(bad("getBlock runId " + shown, "runId", s -> s.getBlock(WF, bad)));
            cases.add(bad("setOverlay workflowId " + shown, "workflowId",
                    s -> s.setOverlay(bad, RUN, Map.of("o", 1))));
            cases.add(bad("setOverlay runId " + shown, "runId", s -> s.setOverlay(WF, bad, Map.of("o", 1))));
            cases.add(bad("resolveBlock workflowId " + shown, "workflowId",
                    s -> s.resolveBlock(bad, SUSPENDED, Resolution.resume(1))));
            cases.add(bad("resolveBlock runId " + shown, "runId",
                    s -> s.resolveBlock(WF, bad, Resolution.resume(1))));
            cases.add(bad("leaseOutbox leaseOwner " + shown, "leaseOwner", s -> s.leaseOutbox(bad, 10)));
            cases.add(bad("markDispatched leaseOwner " + shown, "leaseOwner", s -> s.markDispatched("1", bad)));
            cases.add(bad("markDispatched batch leaseOwner " + shown, "leaseOwner",
                    s -> s.markDispatched(List.of("1"), bad)));
            cases.add(bad("markDispatched empty batch leaseOwner " + shown, "leaseOwner",
                    s -> s.markDispatched(List.of(), bad)));
            cases.add(bad("markFailed leaseOwner " + shown, "leaseOwner", s -> s.markFailed("1", bad, "boom")));
        }

        // --- resolveBlock
        cases.add(bad("resolveBlock null resolution, nothing active", "resolution",
                s -> s.resolveBlock(WF, RUN, null)));
        cases.add(bad("resolveBlock null resolution, missing run", "resolution",
                s -> s.resolveBlock(WF, "missing", null)));
        cases.add(bad("resolveBlock null resolution, suspend active", "resolution",
                s -> s.resolveBlock(WF, SUSPENDED, null)));
        cases.add(bad("resolveBlock review on active suspend", "resolution",
                s -> s.resolveBlock(WF, SUSPENDED, Resolution.approve())));
        cases.add(bad("resolveBlock resumeData with U+0000", "resolution.resumeData",
                s -> s.resolveBlock(WF, SUSPENDED, Resolution.resume(NUL))));
        cases.add(bad("resolveBlock resumeData with NaN", "resolution.resumeData.x",
                s -> s.resolveBlock(WF, SUSPENDED, Resolution.resume(Map.of("x", Double.NaN)))));

        // --- leaseOutbox
        cases.add(bad("leaseOutbox limit 0", "limit", s -> s.leaseOutbox("d2", 0)));
        cases.add(bad("leaseOutbox limit -1", "limit", s -> s.leaseOutbox("d2", -1)));
        cases.add(bad("leaseOutbox limit MIN_VALUE", "limit", s -> s.leaseOutbox("d2", Integer.MIN_VALUE)));
        cases.add(bad("leaseOutbox duration zero", "leaseDuration", s -> s.leaseOutbox("d2", 10, Duration.ZERO)));
        cases.add(bad("leaseOutbox duration negative", "leaseDuration",
                s -> s.leaseOutbox("d2", 10, Duration.ofSeconds(-30))));
        cases.add(bad("leaseOutbox duration -1ns", "leaseDuration", s -> s.leaseOutbox("d2", 10, Duration.ofNanos(-1))));
        cases.add(bad("leaseOutbox duration null", "leaseDuration", s -> s.leaseOutbox("d2", 10, null)));

        // --- outbox ids: ASCII digits within the bigint range
        for (String bad : new String[] {null, "", "abc", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x1", "١", "١٢",
                "１", "9223372036854775808", "99999999999999999999", "18446744073709551616"}) {
            String shown = show(bad);
            cases.add(bad("markDispatched id " + shown, "outboxId", s -> s.markDispatched(bad, "d")));
            cases.add(bad("markFailed id " + shown, "outboxId", s -> s.markFailed(bad, "d", "boom")));
            cases.add(bad("markDispatched batch id " + shown, "outboxIds[1]",
                    s -> s.markDispatched(Arrays.asList("1", bad), "d")));
        }
        cases.add(bad("markDispatched batch null", "outboxIds", s -> s.markDispatched((List<String>) null, "d")));
        cases.add(bad("markDispatched batch repeated id", "outboxIds[2]",
                s -> s.markDispatched(List.of("1", "2", "1"), "d")));
        cases.add(bad("markDispatched batch id repeated with leading zeros", "outboxIds[1]",
                s -> s.markDispatched(List.of("1", "001"), "d")));
        cases.add(bad("markFailed error with U+0000", "error", s -> s.markFailed("1", "d", "failed: " + NUL)));
        cases.add(bad("markFailed error with a lone surrogate", "error", s -> s.markFailed("1", "d", LONE_HIGH)));

        return cases.stream();
    }

    // ------------------------------------------------------------------ boundaries that are fine

    @Test
    void idsOfExactlyOneThousandCharsAreAccepted() {
        RunState state = store.commit(Commit.builder(CHARS_1000, EMOJI_1000_CHARS, CHARS_1000)
                .output(Map.of("a", 1)).event(AuditEvent.of("long")).command(Command.invoke("next", 1)).build());

        assertThat(state.workflowId()).hasSize(1000);
        assertThat(state.runId()).isEqualTo(EMOJI_1000_CHARS);
        assertThat(store.load(CHARS_1000, EMOJI_1000_CHARS)).contains(state);
        assertThat(store.events(CHARS_1000, EMOJI_1000_CHARS)).hasSize(1);
        assertThat(store.getBlock(CHARS_1000, EMOJI_1000_CHARS)).isEmpty();
        assertThat(store.setOverlay(CHARS_1000, EMOJI_1000_CHARS, Map.of("o", 1)).overlay()).isEqualTo(Map.of("o", 1));
        assertThat(store.leaseOutbox(CHARS_1000, 10)).extracting(OutboxEntry::runId).contains(EMOJI_1000_CHARS);
        // PostgreSQL counts code points: the limit is in Java chars.
        assertThat(tables.rows("SELECT char_length(run_id) AS n FROM verist_state WHERE workflow_id = ?", CHARS_1000)
                .get(0)).containsEntry("n", 500);
    }

    @Test
    void validOutboxIdsWithoutSuchLeasedRowAreLeaseMismatchNotInvalid() {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        for (String id : List.of("9223372036854775807", "007", "0", "2", "00000000000000000000000000000000003")) {
            assertThatThrownBy(() -> store.markDispatched(id, "d"))
                    .as("markDispatched(%s)", id)
                    .isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));
            assertThatThrownBy(() -> store.markFailed(id, "d", "boom"))
                    .as("markFailed(%s)", id)
                    .isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));
        }
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void outboxIdWithLeadingZerosAddressesTheRow() {
        store.markDispatched("0001", "d");

        assertThat(tables.rows("SELECT status FROM verist_outbox WHERE id = 1").get(0))
                .containsEntry("status", "dispatched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"١", "+1", "１", "٠٠١"})
    void outboxIdsThatLongParseLongWouldAcceptLeaveTheLeasedRowAlone(String id) {
        assertThatThrownBy(() -> store.markDispatched(id, "d")).isInstanceOf(InvalidRequestException.class);

        assertThat(tables.rows("SELECT status, lease_owner FROM verist_outbox WHERE id = 1").get(0))
                .containsEntry("status", "leased").containsEntry("lease_owner", "d");
    }

    // ------------------------------------------------------------------ suspend siblings

    @Test
    void duplicateSiblingsOfASuspendAreAcceptedAndDiscarded() {
        RunState state = store.commit(Commit.builder(WF, RUN, "s1").expectedVersion(1)
                .command(Command.invoke("next", Map.of("k", 1)))
                .command(Command.suspend("wait", Map.of("cp", 2), "resume-here"))
                .command(Command.invoke("next", Map.of("k", 1)))
                .build());

        assertThat(state.version()).isEqualTo(2);
        assertThat(store.getBlock(WF, RUN)).hasValueSatisfying(b -> {
            assertThat(b.type()).isEqualTo(BlockType.SUSPEND);
            assertThat(b.resumeStep()).isEqualTo("resume-here");
        });
        assertThat(tables.rows("SELECT count(*) AS n FROM verist_outbox WHERE step_id = 's1'").get(0))
                .containsEntry("n", 0L);
    }

    // ------------------------------------------------------------------ resolution kinds

    @Test
    void resumeOnActiveReviewBlockIsInvalidNamingResolutionAndTheBlockStaysActive() {
        store.commit(Commit.builder(WF, "reviewed", "s1")
                .command(Command.review("check"))
                .command(Command.invoke("next", 1))
                .build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.resolveBlock(WF, "reviewed", Resolution.resume(Map.of("x", 1))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("resolution");
                    assertThat(e.getMessage()).contains("resolution");
                    assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
                });

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.getBlock(WF, "reviewed")).hasValueSatisfying(b -> assertThat(b.type()).isEqualTo(BlockType.REVIEW));
        assertThat(tables.rows("SELECT status FROM verist_outbox WHERE run_id = 'reviewed'"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("status", "deferred"));
    }

    @Test
    void reviewOnActiveSuspendBlockIsInvalidNamingResolutionAndTheBlockStaysActive() {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        for (Resolution misfit : List.of(Resolution.approve(), Resolution.reject())) {
            assertThatThrownBy(() -> store.resolveBlock(WF, SUSPENDED, misfit))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo("resolution");
                        assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
                    });
        }

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(store.getBlock(WF, SUSPENDED)).hasValueSatisfying(b -> assertThat(b.type()).isEqualTo(BlockType.SUSPEND));
        assertThat(tables.rows("SELECT count(*) AS n FROM verist_outbox WHERE run_id = ?", SUSPENDED).get(0))
                .containsEntry("n", 0L);
    }

    @Test
    void misfitResolutionWithNothingActiveIsEmpty() {
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThat(store.resolveBlock(WF, RUN, Resolution.resume(Map.of("x", 1)))).isEmpty();
        assertThat(store.resolveBlock(WF, RUN, Resolution.approve())).isEmpty();
        assertThat(store.resolveBlock(WF, "missing", Resolution.reject())).isEmpty();
        assertThat(tables.snapshot()).isEqualTo(before);

        store.commit(Commit.builder(WF, "reviewed", "s1").command(Command.review("check")).build());
        assertThat(store.resolveBlock(WF, "reviewed", Resolution.approve())).isPresent();
        assertThat(store.resolveBlock(WF, "reviewed", Resolution.resume("late"))).isEmpty();
        assertThat(store.resolveBlock(WF, SUSPENDED, Resolution.resume("data"))).isPresent();
        assertThat(store.resolveBlock(WF, SUSPENDED, Resolution.approve())).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** A valid update of run {@code wf/r} at version 1, which bad cases then break. */
    private static Commit.Builder update() {
        return Commit.builder(WF, RUN, "s1").expectedVersion(1).output(Map.of("a", 2));
    }

    private static Arguments bad(String name, String field, Call call) {
        return arguments(Named.of(name, call), field);
    }

    private static Arguments trace(String name, String field, LlmTrace trace) {
        return bad(name, field, s -> s.commit(update().event(new AuditEvent("llm", null, trace)).build()));
    }

    private static Arguments command(String name, String field, Command command) {
        return bad(name, field, s -> s.commit(update().command(command).build()));
    }

    private static String show(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() > 20) {
            return "of " + value.length() + " chars";
        }
        StringBuilder shown = new StringBuilder("\"");
        value.chars().forEach(c -> shown.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return shown.append('"').toString();
    }

}
