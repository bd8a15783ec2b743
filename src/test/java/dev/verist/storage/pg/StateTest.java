package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredDataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The run state: create, shallow-merge update, optimistic versions, database timestamps and JSON round trips. */
@StoreContract
class StateTest extends StoreTest {

    private static final String WF = "wf-a";
    private static final String RUN = "run-b";

    // ------------------------------------------------------------------ load and create

    @Test
    void loadOfMissingRunIsEmpty() {
        store.commit(Commit.builder(WF, "other", "s").output(Map.of("a", 1)).build());

        assertThat(store.load(WF, "missing")).isEmpty();
        assertThat(store.load("other-workflow", "other")).isEmpty();
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void createWritesVersionOneWithOutputAsComputedAndEmptyOverlayAtOneDatabaseTime() {
        Instant before = dbClock();
        RunState state = store.commit(Commit.builder(WF, RUN, "extract")
                .output(Map.of("claims", List.of("a", "b"), "score", 0.8))
                .build());
        Instant after = dbClock();

        assertThat(state.workflowId()).isEqualTo(WF);
        assertThat(state.runId()).isEqualTo(RUN);
        assertThat(state.version()).isEqualTo(1);
        assertThat(state.computed()).isEqualTo(Map.of("claims", List.of("a", "b"), "score", 0.8));
        assertThat(state.overlay()).isEmpty();
        assertThat(state.createdAt()).isEqualTo(state.updatedAt());
        assertThat(state.createdAt()).isBetween(before, after);
        assertThat(store.load(WF, RUN)).contains(state);

        Map<String, Object> row = stateRow(WF, RUN);
        assertThat(row.get("version")).isEqualTo(1);
        assertThat(instant(row.get("created_at"))).isEqualTo(state.createdAt());
        assertThat(instant(row.get("updated_at"))).isEqualTo(state.updatedAt());
        assertThat(tables.rows("SELECT computed = ?::jsonb AS same, overlay = '{}'::jsonb AS empty FROM verist_state",
                "{\"claims\":[\"a\",\"b\"],\"score\":0.8}").get(0))
                .containsEntry("same", true).containsEntry("empty", true);
    }

    // ------------------------------------------------------------------ update

    @Test
    void updateMergesOutputShallowlyReplacingNestedValuesAndStoringJsonNull() {
        store.commit(Commit.builder(WF, RUN, "s1").output(map(
                "a", 1, "nested", Map.of("x", 1, "y", 2), "list", List.of(1, 2, 3), "nulled", "v", "keep", "k")).build());

        RunState updated = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).output(map(
                "nested", Map.of("x", 5), "list", List.of(9), "nulled", null, "b", "two")).build());

        Map<String, Object> expected = map(
                "a", 1, "nested", Map.of("x", 5), "list", List.of(9), "nulled", null, "keep", "k", "b", "two");
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.computed()).isEqualTo(expected);
        assertThat(updated.computed()).containsKey("nulled");
        assertThat(updated.computed().get("nulled")).isNull();
        assertThat(store.load(WF, RUN).orElseThrow().computed()).isEqualTo(expected);

        Map<String, Object> stored = tables.rows("SELECT jsonb_typeof(computed->'nulled') AS nulled,"
                + " computed->'nested' = '{\"x\":5}'::jsonb AS nested, computed->'list' = '[9]'::jsonb AS list,"
                + " computed->>'keep' AS keep, computed->>'a' AS a FROM verist_state").get(0);
        assertThat(stored).containsEntry("nulled", "null").containsEntry("nested", true).containsEntry("list", true)
                .containsEntry("keep", "k").containsEntry("a", "1");
    }

    @Test
    void commitsLeaveTheOverlayUntouched() {
        store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("o", 0, "a", 1)).build());
        store.setOverlay(WF, RUN, Map.of("o", "human"));

        RunState updated = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1)
                .output(Map.of("o", 2, "a", 3)).build());

        assertThat(updated.overlay()).isEqualTo(Map.of("o", "human"));
        assertThat(updated.computed()).isEqualTo(Map.of("o", 2, "a", 3));
        assertThat(tables.rows("SELECT overlay = '{\"o\":\"human\"}'::jsonb AS same FROM verist_state").get(0))
                .containsEntry("same", true);
    }

    @Test
    void eachCommitBumpsVersionByOneAndAdvancesUpdatedAtButNotCreatedAt() {
        RunState first = store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("n", 1)).build());
        Instant before = dbClock();
        RunState second = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).output(Map.of("n", 2)).build());
        Instant after = dbClock();
        RunState third = store.commit(Commit.builder(WF, RUN, "s3").expectedVersion(2).output(Map.of("n", 3)).build());

        assertThat(List.of(first.version(), second.version(), third.version())).containsExactly(1, 2, 3);
        assertThat(second.updatedAt()).isAfter(first.updatedAt()).isBetween(before, after);
        assertThat(third.updatedAt()).isAfter(second.updatedAt());
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(third.createdAt()).isEqualTo(first.createdAt());

        Map<String, Object> row = stateRow(WF, RUN);
        assertThat(row.get("version")).isEqualTo(3);
        assertThat(instant(row.get("created_at"))).isEqualTo(first.createdAt());
        assertThat(instant(row.get("updated_at"))).isEqualTo(third.updatedAt());
    }

    @Test
    void emptyOutputOnUpdateKeepsComputedButBumpsVersion() {
        RunState created = store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("a", 1, "b", List.of(2))).build());

        RunState updated = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).build());

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.computed()).isEqualTo(Map.of("a", 1, "b", List.of(2)));
        assertThat(updated.updatedAt()).isAfter(created.updatedAt());
        assertThat(stateRow(WF, RUN).get("version")).isEqualTo(2);
    }

    // ------------------------------------------------------------------ conflicts and not found

    @Test
    void createOfExistingRunIsRunExistsNamingTheRunAndWritesNothing() {
        store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("a", 1)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "again")
                .output(Map.of("a", 99))
                .event(AuditEvent.of("duplicate-create"))
                .command(Command.review("look"))
                .command(Command.invoke("next", Map.of("k", 1)))
                .build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS);
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains(WF + "/" + RUN);
                });

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void commitWithStaleVersionIsVersionMismatchNamingBothVersionsAndWritesNothing() {
        store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("a", 1)).build());
        store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1).output(Map.of("a", 2)).build());
        store.commit(Commit.builder(WF, RUN, "s3").expectedVersion(2).output(Map.of("a", 3)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "late").expectedVersion(1)
                .output(Map.of("a", 4))
                .event(AuditEvent.of("late", Map.of("x", 1)))
                .command(Command.review("check"))
                .command(Command.emit("topic", Map.of("y", 2)))
                .build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH);
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains(WF + "/" + RUN)
                            .containsPattern("\\b1\\b") // expected
                            .containsPattern("\\b3\\b"); // actual
                });

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
        assertThat(store.load(WF, RUN).orElseThrow().computed()).isEqualTo(Map.of("a", 3));
    }

    @Test
    void commitWithVersionAheadOfTheRunIsVersionMismatch() {
        store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("a", 1)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(7)
                .event(AuditEvent.of("ahead")).build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH);
                    assertThat(e.getMessage()).containsPattern("\\b7\\b").containsPattern("\\b1\\b");
                });
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void updateOfMissingRunIsNotFoundNamingTheRunAndWritesNothing() {
        store.commit(Commit.builder(WF, RUN, "s1").output(Map.of("a", 1)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, "missing", "s").expectedVersion(3)
                .output(Map.of("a", 1))
                .event(AuditEvent.of("ghost"))
                .command(Command.invoke("next", null))
                .build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains(WF + "/missing");
                });
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ JSON values

    @Test
    void scoreMapEqualsWhatLoadReturns() {
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("score", 0.8)).build());

        Map<String, Object> computed = store.load(WF, RUN).orElseThrow().computed();
        assertThat(computed).isEqualTo(Map.of("score", 0.8));
        assertThat(Map.of("score", 0.8)).isEqualTo(computed);
    }

    @Test
    void doublesComeBackAsDoublesIncludingOnePointZero() {
        store.commit(Commit.builder(WF, RUN, "s")
                .output(Map.of("one", 1.0, "sum", 0.1 + 0.2, "small", 1.5e-10, "negative", -2.5, "float", 0.5f))
                .build());

        Map<String, Object> computed = store.load(WF, RUN).orElseThrow().computed();
        assertThat(computed.get("one")).isInstanceOf(Double.class).isEqualTo(1.0);
        assertThat(computed.get("sum")).isEqualTo(0.30000000000000004);
        assertThat(computed.get("small")).isEqualTo(1.5e-10);
        assertThat(computed.get("negative")).isEqualTo(-2.5);
        assertThat(computed.get("float")).isEqualTo(0.5);
        assertThat(tables.rows("SELECT computed->>'one' AS one FROM verist_state").get(0)).containsEntry("one", "1.0");
    }

    @Test
    void integralNumbersComeBackAsIntegerThenLongThenBigInteger() {
        BigInteger beyondLong = new BigInteger("9223372036854775808");
        BigInteger farBelowLong = new BigInteger("-123456789012345678901234567890");
        store.commit(Commit.builder(WF, RUN, "s").output(map(
                "int", 42,
                "minInt", Integer.MIN_VALUE,
                "smallLong", 5L,
                "short", (short) 7,
                "long", 3_000_000_000L,
                "maxLong", Long.MAX_VALUE,
                "minLong", Long.MIN_VALUE,
                "beyondLong", beyondLong,
                "farBelowLong", farBelowLong,
                "exponent", new BigDecimal("1E+2"))).build());

        Map<String, Object> computed = store.load(WF, RUN).orElseThrow().computed();
        assertThat(computed.get("int")).isInstanceOf(Integer.class).isEqualTo(42);
        assertThat(computed.get("minInt")).isInstanceOf(Integer.class).isEqualTo(Integer.MIN_VALUE);
        assertThat(computed.get("smallLong")).isInstanceOf(Integer.class).isEqualTo(5);
        assertThat(computed.get("short")).isInstanceOf(Integer.class).isEqualTo(7);
        assertThat(computed.get("long")).isInstanceOf(Long.class).isEqualTo(3_000_000_000L);
        assertThat(computed.get("maxLong")).isInstanceOf(Long.class).isEqualTo(Long.MAX_VALUE);
        assertThat(computed.get("minLong")).isInstanceOf(Long.class).isEqualTo(Long.MIN_VALUE);
        assertThat(computed.get("beyondLong")).isInstanceOf(BigInteger.class).isEqualTo(beyondLong);
        assertThat(computed.get("farBelowLong")).isInstanceOf(BigInteger.class).isEqualTo(farBelowLong);
        // PostgreSQL prints 1E2 as 100, so it reads back as an integer.
        assertThat(computed.get("exponent")).isInstanceOf(Integer.class).isEqualTo(100);
    }

    @Test
    void longBeyondTwoToThe53IsStoredAsGiven() {
        long beyond = 9_007_199_254_740_993L; // 2^53 + 1: a JavaScript double cannot hold it
        BigDecimal precise = new BigDecimal("0.1000000000000000000001");
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("big", beyond, "precise", precise)).build());

        assertThat(store.load(WF, RUN).orElseThrow().computed().get("big")).isEqualTo(beyond);
        assertThat(tables.rows("SELECT computed->>'big' AS big, computed->>'precise' AS precise FROM verist_state").get(0))
                .containsEntry("big", "9007199254740993")
                .containsEntry("precise", "0.1000000000000000000001");
    }

    @Test
    void nestedListsAndMapsComeBackAsArrayListAndLinkedHashMap() {
        store.commit(Commit.builder(WF, RUN, "s")
                .output(Map.of("m", Map.of("list", List.of(1, Map.of("y", List.of("z"))))))
                .build());

        Map<String, Object> computed = store.load(WF, RUN).orElseThrow().computed();
        Object m = computed.get("m");
        assertThat(m).isInstanceOf(LinkedHashMap.class);
        Object list = ((Map<?, ?>) m).get("list");
        assertThat(list).isInstanceOf(ArrayList.class);
        Object inner = ((List<?>) list).get(1);
        assertThat(inner).isInstanceOf(LinkedHashMap.class);
        assertThat(((Map<?, ?>) inner).get("y")).isInstanceOf(ArrayList.class).isEqualTo(List.of("z"));
        assertThat(computed).isEqualTo(Map.of("m", Map.of("list", List.of(1, Map.of("y", List.of("z"))))));
    }

    @Test
    void recordsAndPojosInOutputAreConvertedWithJackson() {
        RunState state = store.commit(Commit.builder(WF, RUN, "s")
                .output(Map.of("point", new Point(3, "p"), "bean", new Bean(),
                        "points", List.of(new Point(1, "a"), new Point(2, "b"))))
                .build());

        Map<String, Object> expected = Map.of(
                "point", Map.of("x", 3, "label", "p"),
                "bean", Map.of("name", "b", "count", 4, "tags", List.of("t1", "t2")),
                "points", List.of(Map.of("x", 1, "label", "a"), Map.of("x", 2, "label", "b")));
        assertThat(state.computed()).isEqualTo(expected);
        assertThat(store.load(WF, RUN).orElseThrow().computed()).isEqualTo(expected);
        assertThat(tables.rows("SELECT computed->'point' = '{\"x\":3,\"label\":\"p\"}'::jsonb AS same FROM verist_state")
                .get(0)).containsEntry("same", true);
    }

    @Test
    void instantBecomesAnIsoString() {
        Instant at = Instant.parse("2024-01-02T03:04:05.123Z");
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("at", at)).build());

        assertThat(store.load(WF, RUN).orElseThrow().computed().get("at")).isEqualTo("2024-01-02T03:04:05.123Z");
        assertThat(tables.rows("SELECT jsonb_typeof(computed->'at') AS t FROM verist_state").get(0))
                .containsEntry("t", "string");
    }

    @Test
    void unicodeRoundTripsInValuesKeysAndIds() {
        String text = "emoji 😀👍🏽, CJK 漢字かな, halfwidth ｱ, accents éü, RTL עברית";
        String wf = "wf-😀";
        String run = "運行-1";
        store.commit(Commit.builder(wf, run, "step-ｱ").output(Map.of("text", text, "键😀", List.of("値", "🎉"))).build());

        RunState loaded = store.load(wf, run).orElseThrow();
        assertThat(loaded.computed()).isEqualTo(Map.of("text", text, "键😀", List.of("値", "🎉")));
        assertThat(loaded.workflowId()).isEqualTo(wf);
        assertThat(loaded.runId()).isEqualTo(run);
        assertThat(tables.rows("SELECT computed->>'text' AS text, run_id FROM verist_state").get(0))
                .containsEntry("text", text).containsEntry("run_id", run);
    }

    // ------------------------------------------------------------------ helpers

    /** A record handed in as a value. */
    public record Point(int x, String label) {
    }

    /** A POJO handed in as a value. */
    public static final class Bean {
        public String getName() {
            return "b";
        }

        public int getCount() {
            return 4;
        }

        public List<String> getTags() {
            return List.of("t1", "t2");
        }
    }

    private Instant dbClock() {
        return instant(tables.rows("SELECT clock_timestamp() AS t").get(0).get("t"));
    }

    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }

    // ------------------------------------------------------------------ reading a stored state

    @Test
    void computedAndOverlayAreReadOnlyMapsEqualToWhatWasStored() {
        Map<String, Object> output = map("a", 1, "nested", map("k", List.of("v")), "none", null);
        store.commit(Commit.builder(WF, RUN, "s").output(output).build());
        store.setOverlay(WF, RUN, Map.of("a", 2));

        RunState state = store.load(WF, RUN).orElseThrow();

        assertThat(state.computed()).isEqualTo(output).hasSameHashCodeAs(output);
        assertThat(output).isEqualTo(state.computed());
        // in jsonb's order of keys: shorter first
        assertThat(state.computed()).hasToString("{a=1, none=null, nested={k=[v]}}");
        assertThat(state.computed().keySet()).containsExactly("a", "none", "nested");
        assertThat(state.overlay()).isEqualTo(Map.of("a", 2));
        assertThat(state.effective()).isEqualTo(map("a", 2, "nested", map("k", List.of("v")), "none", null));
        assertThat(state).isEqualTo(store.load(WF, RUN).orElseThrow());
        for (Map<String, Object> read : List.of(state.computed(), state.overlay())) {
            assertThatThrownBy(() -> read.put("b", 1)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> read.remove("a")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(read::clear).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> read.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aStoredStateThatIsNotAnObjectIsStoredDataExceptionFromTheCall() {
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("a", 1)).build());
        tables.update("UPDATE verist_state SET computed = '[1, 2]'");

        assertThatThrownBy(() -> store.load(WF, RUN)).isInstanceOf(StoredDataException.class)
                .hasMessageContaining("not an object");
    }

    @Test
    void aStoredStateNestedBeyondWhatTheStoreReadsIsStoredDataExceptionWhenFirstLookedInto() {
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("a", 1)).build());
        tables.update("UPDATE verist_state SET computed = (repeat('{\"a\":', 1100) || '1' || repeat('}', 1100))::jsonb");

        RunState state = store.load(WF, RUN).orElseThrow();

        assertThat(state.version()).isEqualTo(1);
        assertThatThrownBy(() -> state.computed().get("a")).isInstanceOf(StoredDataException.class);
        assertThatThrownBy(() -> state.effective().get("a")).isInstanceOf(StoredDataException.class);
    }

    @Test
    void threadsLookingIntoAStateTogetherShareOneParse() throws Exception {
        store.commit(Commit.builder(WF, RUN, "s").output(Map.of("nested", Map.of("k", 1))).build());
        RunState state = store.load(WF, RUN).orElseThrow();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object>> reads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                reads.add(pool.submit(() -> {
                    start.await();
                    return state.computed().get("nested");
                }));
            }
            start.countDown();
            Object first = reads.get(0).get();
            for (Future<Object> read : reads) {
                assertThat(read.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> stateRow(String workflowId, String runId) {
        List<Map<String, Object>> rows = tables.rows(
                "SELECT * FROM verist_state WHERE workflow_id = ? AND run_id = ?", workflowId, runId);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }


    /** A mutable ordered map that may hold null values. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
