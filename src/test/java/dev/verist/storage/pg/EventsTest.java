package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.LlmTrace;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredEvent;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit trail: order, content, traces, blocked and failed commits, and the database's append-only rule. */
@StoreContract
class EventsTest extends StoreTest {

    private static final String WF = "wf-e";
    private static final String RUN = "run-e";

    private static final LlmTrace TRACE = new LlmTrace("gpt-x", 12, 34, 56.5, "sha256:aa", "sha256:bb",
            Map.of("prompt", "hi", "messages", List.of(Map.of("role", "user"))), "answer");

    @Test
    void eventsComeBackInCommitOrderWithStepTypePayloadAndCommitTime() {
        RunState first = store.commit(Commit.builder(WF, RUN, "s1")
                .event(AuditEvent.of("e1", Map.of("n", 1)))
                .event(AuditEvent.of("e2", Map.of("n", 2)))
                .build());
        store.commit(Commit.builder(WF, "other-run", "x").event(AuditEvent.of("elsewhere")).build());
        RunState second = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1)
                .event(AuditEvent.of("e3", Map.of("n", 3)))
                .build());
        RunState third = store.commit(Commit.builder(WF, RUN, "s3").expectedVersion(2)
                .event(AuditEvent.of("e4", Map.of("n", 4)))
                .event(AuditEvent.of("e5", Map.of("n", 5, "nested", Map.of("k", List.of("v")))))
                .build());

        List<StoredEvent> events = store.events(WF, RUN);

        assertThat(events).extracting(StoredEvent::type).containsExactly("e1", "e2", "e3", "e4", "e5");
        assertThat(events).extracting(StoredEvent::stepId).containsExactly("s1", "s1", "s2", "s3", "s3");
        assertThat(events).extracting(StoredEvent::workflowId).containsOnly(WF);
        assertThat(events).extracting(StoredEvent::runId).containsOnly(RUN);
        assertThat(events).extracting(StoredEvent::payload).containsExactly(
                Map.of("n", 1), Map.of("n", 2), Map.of("n", 3), Map.of("n", 4),
                Map.of("n", 5, "nested", Map.of("k", List.of("v"))));
        assertThat(events).extracting(StoredEvent::llmTrace).containsOnlyNulls();
        assertThat(events).extracting(StoredEvent::createdAt).containsExactly(
                first.updatedAt(), first.updatedAt(), second.updatedAt(), third.updatedAt(), third.updatedAt());
        assertThat(events.get(0).createdAt()).isEqualTo(first.createdAt());

        List<Map<String, Object>> rows = tables.rows(
                "SELECT id, created_at FROM verist_events WHERE run_id = ? ORDER BY id", RUN);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(events.get(i).id()).isEqualTo(rows.get(i).get("id").toString());
            assertThat(events.get(i).createdAt()).isEqualTo(((Timestamp) rows.get(i).get("created_at")).toInstant());
        }
    }

    @Test
    void eventIdsAreIncreasingDecimalStrings() {
        store.commit(Commit.builder(WF, RUN, "s1").event(AuditEvent.of("a")).event(AuditEvent.of("b")).build());
        store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).event(AuditEvent.of("c")).build());

        List<StoredEvent> events = store.events(WF, RUN);

        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.id()).matches("[1-9][0-9]*"));
        List<Long> ids = new ArrayList<>();
        events.forEach(e -> ids.add(Long.parseLong(e.id())));
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void eventWithoutPayloadStoresSqlNull() {
        store.commit(Commit.builder(WF, RUN, "s").event(AuditEvent.of("bare")).build());

        assertThat(tables.rows("SELECT payload IS NULL AS no_payload, llm_trace IS NULL AS no_trace FROM verist_events")
                .get(0)).containsEntry("no_payload", true).containsEntry("no_trace", true);
        StoredEvent event = store.events(WF, RUN).get(0);
        assertThat(event.type()).isEqualTo("bare");
        assertThat(event.payload()).isNull();
        assertThat(event.llmTrace()).isNull();
    }

    @Test
    void eventPayloadNumbersReadBackAsDocumented() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("score", 0.8);
        payload.put("one", 1.0);
        payload.put("int", 7);
        payload.put("long", 3_000_000_000L);
        payload.put("big", new BigInteger("9223372036854775808"));
        payload.put("list", List.of(1, "two", Map.of("three", 3)));
        payload.put("nothing", null);
        store.commit(Commit.builder(WF, RUN, "s").event(AuditEvent.of("numbers", payload)).build());

        Map<String, Object> read = store.events(WF, RUN).get(0).payload();

        assertThat(read).isEqualTo(payload);
        assertThat(read.get("one")).isInstanceOf(Double.class);
        assertThat(read.get("int")).isInstanceOf(Integer.class);
        assertThat(read.get("long")).isInstanceOf(Long.class);
        assertThat(read.get("big")).isInstanceOf(BigInteger.class);
        assertThat(read.get("list")).isInstanceOf(ArrayList.class);
        assertThat(((List<?>) read.get("list")).get(2)).isInstanceOf(LinkedHashMap.class);
    }

    @Test
    void llmTraceRoundTripsAllFields() {
        store.commit(Commit.builder(WF, RUN, "s").event(new AuditEvent("llm", Map.of("k", "v"), TRACE)).build());

        StoredEvent event = store.events(WF, RUN).get(0);
        assertThat(event.llmTrace()).isEqualTo(TRACE);
        assertThat(event.payload()).isEqualTo(Map.of("k", "v"));
        assertThat(tables.rows("SELECT llm_trace = ?::jsonb AS same FROM verist_events",
                "{\"model\":\"gpt-x\",\"promptTokens\":12,\"completionTokens\":34,\"durationMs\":56.5,"
                        + "\"inputHash\":\"sha256:aa\",\"outputHash\":\"sha256:bb\","
                        + "\"input\":{\"prompt\":\"hi\",\"messages\":[{\"role\":\"user\"}]},\"output\":\"answer\"}")
                .get(0)).containsEntry("same", true);
    }

    @Test
    void hashOnlyTraceIsStoredWithoutInputAndOutputKeys() {
        LlmTrace hashOnly = new LlmTrace("gpt-x", 0, 0, 0.0, "sha256:aa", "sha256:bb", null, null);
        store.commit(Commit.builder(WF, RUN, "s").event(new AuditEvent("llm", null, hashOnly)).build());

        assertThat(tables.rows("SELECT jsonb_exists(llm_trace, 'input') AS has_input,"
                + " jsonb_exists(llm_trace, 'output') AS has_output, jsonb_exists(llm_trace, 'inputHash') AS has_hash,"
                + " llm_trace = ?::jsonb AS same FROM verist_events",
                "{\"model\":\"gpt-x\",\"promptTokens\":0,\"completionTokens\":0,\"durationMs\":0.0,"
                        + "\"inputHash\":\"sha256:aa\",\"outputHash\":\"sha256:bb\"}").get(0))
                .containsEntry("has_input", false)
                .containsEntry("has_output", false)
                .containsEntry("has_hash", true)
                .containsEntry("same", true);
        LlmTrace read = store.events(WF, RUN).get(0).llmTrace();
        assertThat(read).isEqualTo(hashOnly);
        assertThat(read.input()).isNull();
        assertThat(read.output()).isNull();
    }

    @Test
    void traceWithInputAndOutputStoresThemAndAPartialTraceOnlyThePresentOne() {
        LlmTrace inputOnly = new LlmTrace("m", 1, 2, 3.25, "h1", "h2", List.of("in"), null);
        store.commit(Commit.builder(WF, RUN, "s")
                .event(new AuditEvent("full", null, TRACE))
                .event(new AuditEvent("partial", null, inputOnly))
                .build());

        List<Map<String, Object>> rows = tables.rows("SELECT jsonb_exists(llm_trace, 'input') AS has_input,"
                + " jsonb_exists(llm_trace, 'output') AS has_output, llm_trace->>'output' AS output FROM verist_events ORDER BY id");
        assertThat(rows.get(0)).containsEntry("has_input", true).containsEntry("has_output", true)
                .containsEntry("output", "answer");
        assertThat(rows.get(1)).containsEntry("has_input", true).containsEntry("has_output", false);
        assertThat(store.events(WF, RUN)).extracting(StoredEvent::llmTrace).containsExactly(TRACE, inputOnly);
    }

    @Test
    void traceWithExplicitJsonNullInputReadsBackAsNull() {
        // Written by another tool: readers accept both absent and null.
        tables.update("INSERT INTO verist_events (workflow_id, run_id, step_id, type, payload, llm_trace)"
                + " VALUES (?, ?, 's', 'llm', NULL, ?::jsonb)", WF, RUN,
                "{\"model\":\"m\",\"promptTokens\":1,\"completionTokens\":2,\"durationMs\":3,"
                        + "\"inputHash\":\"h1\",\"outputHash\":\"h2\",\"input\":null,\"output\":null}");

        assertThat(store.events(WF, RUN)).singleElement().satisfies(e ->
                assertThat(e.llmTrace()).isEqualTo(new LlmTrace("m", 1, 2, 3.0, "h1", "h2", null, null)));
    }

    @Test
    void eventsOfRunWithoutEventsAndOfMissingRunAreEmpty() {
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("a", 1)).build());
        store.commit(Commit.builder(WF, "noisy", "s").event(AuditEvent.of("not-mine")).build());

        assertThat(store.events(WF, RUN)).isEmpty();
        assertThat(store.events(WF, "missing")).isEmpty();
        assertThat(store.events("other-workflow", "noisy")).isEmpty();
    }

    @Test
    void eventsAreWrittenForReviewAndSuspendCommits() {
        RunState review = store.commit(Commit.builder(WF, "reviewed", "s1")
                .event(AuditEvent.of("asked", Map.of("q", 1)))
                .command(Command.review("check"))
                .command(Command.invoke("next", null))
                .build());
        RunState suspend = store.commit(Commit.builder(WF, "suspended", "s1")
                .event(AuditEvent.of("waiting"))
                .command(Command.suspend("input needed", Map.of("cp", 1)))
                .command(Command.invoke("discarded", null))
                .build());

        assertThat(store.events(WF, "reviewed")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("asked");
            assertThat(e.createdAt()).isEqualTo(review.updatedAt());
        });
        assertThat(store.events(WF, "suspended")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("waiting");
            assertThat(e.createdAt()).isEqualTo(suspend.updatedAt());
        });

        store.resolveBlock(WF, "reviewed", Resolution.approve());
        store.resolveBlock(WF, "suspended", Resolution.resume("data"));
        assertThat(tables.count("verist_events")).isEqualTo(2); // resolving writes no events
    }

    @Test
    void failedCommitsWriteNoEvents() {
        store.commit(Commit.builder(WF, RUN, "s1").command(Command.invoke("next", 1)).build());
        store.commit(Commit.builder(WF, "blocked", "s1").command(Command.review("check")).build());

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "s1").event(AuditEvent.of("run-exists")).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));
        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(5)
                .event(AuditEvent.of("stale")).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));
        assertThatThrownBy(() -> store.commit(Commit.builder(WF, "missing", "s2").expectedVersion(1)
                .event(AuditEvent.of("ghost")).build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.commit(Commit.builder(WF, "blocked", "s2").expectedVersion(1)
                .event(AuditEvent.of("second-block")).command(Command.suspend("again", null)).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.ACTIVE_BLOCK));
        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "s1").expectedVersion(1)
                .event(AuditEvent.of("redelivered")).command(Command.invoke("next", 1)).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.COMMAND_EXISTS));

        assertThat(tables.count("verist_events")).isZero();
        assertThat(store.events(WF, RUN)).isEmpty();
        assertThat(store.events(WF, "blocked")).isEmpty();
        assertThat(store.load(WF, RUN).orElseThrow().version()).isEqualTo(1);
        assertThat(store.load(WF, "blocked").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void databaseRefusesUpdateAndDeleteOnEvents() {
        store.commit(Commit.builder(WF, RUN, "s").event(AuditEvent.of("kept", Map.of("n", 1))).build());
        List<Map<String, Object>> before = tables.all("verist_events");

        assertThatThrownBy(() -> tables.update("UPDATE verist_events SET type = 'changed'"))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(SQLException.class)
                .cause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> tables.update("DELETE FROM verist_events WHERE id = (SELECT min(id) FROM verist_events)"))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(SQLException.class)
                .cause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> tables.update("DELETE FROM verist_events"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(tables.all("verist_events")).isEqualTo(before);
        assertThat(store.events(WF, RUN)).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("kept"));
    }

    @Test
    void truncateOfEventsWorks() {
        store.commit(Commit.builder(WF, RUN, "s").event(AuditEvent.of("old")).event(AuditEvent.of("older")).build());

        tables.update("TRUNCATE verist_events");

        assertThat(tables.count("verist_events")).isZero();
        assertThat(store.events(WF, RUN)).isEmpty();
        store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).event(AuditEvent.of("new")).build());
        assertThat(store.events(WF, RUN)).extracting(StoredEvent::type).containsExactly("new");
    }

    // ---------------------------------------------------------------------------------------------- pages

    @Test
    void pagesWalkTheTrailInCommitOrderAndAShortPageEndsIt() {
        commitSteps(RUN, 7);
        store.commit(Commit.builder(WF, "other-run", "x").event(AuditEvent.of("elsewhere")).build());

        List<StoredEvent> first = store.events(WF, RUN, null, 3);
        List<StoredEvent> second = store.events(WF, RUN, first.get(2).id(), 3);
        List<StoredEvent> last = store.events(WF, RUN, second.get(2).id(), 3);

        assertThat(first).extracting(StoredEvent::type).containsExactly("e1", "e2", "e3");
        assertThat(second).extracting(StoredEvent::type).containsExactly("e4", "e5", "e6");
        assertThat(last).extracting(StoredEvent::type).containsExactly("e7");
        List<StoredEvent> paged = new ArrayList<>(first);
        paged.addAll(second);
        paged.addAll(last);
        assertThat(paged).isEqualTo(store.events(WF, RUN));
        assertThat(store.events(WF, RUN, last.get(0).id(), 3)).isEmpty();
    }

    @Test
    void pagingWhileCommitsLandSkipsNone() {
        commitSteps(RUN, 2);
        List<StoredEvent> first = store.events(WF, RUN, null, 5);
        assertThat(first).hasSize(2);

        store.commit(Commit.builder(WF, RUN, "s3").expectedVersion(2).event(AuditEvent.of("e3")).build());

        assertThat(store.events(WF, RUN, first.get(1).id(), 5)).extracting(StoredEvent::type).containsExactly("e3");
    }

    @Test
    void anAfterIdOfAnotherRunOrThatDoesNotExistPagesFromTheIdsAboveIt() {
        commitSteps(RUN, 1);
        store.commit(Commit.builder(WF, "other-run", "x").event(AuditEvent.of("elsewhere")).build());
        String elsewhere = store.events(WF, "other-run").get(0).id();
        store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).event(AuditEvent.of("e2")).build());
        List<StoredEvent> all = store.events(WF, RUN);

        assertThat(store.events(WF, RUN, elsewhere, 10)).extracting(StoredEvent::type).containsExactly("e2");
        assertThat(store.events(WF, RUN, "0", 10)).isEqualTo(all);
        assertThat(store.events(WF, RUN, "000" + all.get(0).id(), 10)).extracting(StoredEvent::type)
                .containsExactly("e2");
        assertThat(store.events(WF, RUN, Long.toString(Long.MAX_VALUE), 10)).isEmpty();
        assertThat(store.events(WF, "missing", null, 10)).isEmpty();
    }

    @Test
    void badPageArgumentsAreInvalidAndWriteNothing() {
        commitSteps(RUN, 1);

        assertInvalidWritingNothing(() -> store.events(WF, RUN, "1a", 10), "afterId");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, "-1", 10), "afterId");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, "", 10), "afterId");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, "9223372036854775808", 10), "afterId");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, "\u0661", 10), "afterId");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, null, 0), "limit");
        assertInvalidWritingNothing(() -> store.events(WF, RUN, "1", -5), "limit");
    }

    @Test
    void aPageOfALongTrailIsOneIndexRangeWalkWithoutSort() {
        // 20,000 events over 20 runs, the measured run's spread among the others'
        tables.update("""
                INSERT INTO verist_events (workflow_id, run_id, step_id, type, payload)
                SELECT 'wf', 'r' || (g % 20), 's', 't', '{"n":1}'::jsonb FROM generate_series(1, 20000) g""");
        tables.execute("ANALYZE verist_events");

        // the statement the store runs (read from EventSql), for the first page and a later one
        String page = Tables.storeSql("EventSql", "PAGE");
        for (String plan : List.of(tables.explain(page, "wf", "r7", Long.MIN_VALUE, 100),
                tables.explain(page, "wf", "r7", 5000L, 100))) {
            assertThat(plan).as(plan)
                    .contains("Index Scan using verist_events_run_idx on verist_events")
                    .doesNotContain("Sort")
                    .doesNotContain("Seq Scan")
                    .doesNotContain("Bitmap");
        }
        List<StoredEvent> read = store.events("wf", "r7", "5000", 100);
        assertThat(read).hasSize(100).extracting(e -> Long.parseLong(e.id())).isSorted().allMatch(id -> id > 5000);
    }

    // Commits steps s1..sN on the run, one event eK each.
    private void commitSteps(String runId, int steps) {
        for (int k = 1; k <= steps; k++) {
            store.commit(Commit.builder(WF, runId, "s" + k).expectedVersion(k - 1).event(AuditEvent.of("e" + k)).build());
        }
    }
}
