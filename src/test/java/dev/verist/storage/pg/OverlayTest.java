package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Human corrections: {@code setOverlay} and the effective view. */
@StoreContract
class OverlayTest extends StoreTest {

    private static final String WF = "wf-o";
    private static final String RUN = "run-o";

    @Test
    void setOverlayMergesPerTopLevelKeyLastWriteWins() {
        create(Map.of("a", 1));
        store.setOverlay(WF, RUN, Map.of("x", 1, "y", Map.of("p", 1), "z", "old"));

        RunState state = store.setOverlay(WF, RUN, Map.of("y", Map.of("q", 2), "z", "new"));

        Map<String, Object> expected = Map.of("x", 1, "y", Map.of("q", 2), "z", "new");
        assertThat(state.overlay()).isEqualTo(expected);
        assertThat(store.load(WF, RUN).orElseThrow().overlay()).isEqualTo(expected);
        assertThat(tables.rows("SELECT overlay = ?::jsonb AS same FROM verist_state",
                "{\"x\":1,\"y\":{\"q\":2},\"z\":\"new\"}").get(0)).containsEntry("same", true);
    }

    @Test
    void setOverlayKeepsVersionAndComputedAndWritesNoEvents() {
        RunState created = create(Map.of("a", 1, "b", List.of(1, 2)));

        RunState state = store.setOverlay(WF, RUN, Map.of("a", 100));

        assertThat(state.version()).isEqualTo(1);
        assertThat(state.computed()).isEqualTo(Map.of("a", 1, "b", List.of(1, 2)));
        assertThat(state.createdAt()).isEqualTo(created.createdAt());
        Map<String, Object> row = tables.all("verist_state").get(0);
        assertThat(row.get("version")).isEqualTo(1);
        assertThat(tables.rows("SELECT computed = '{\"a\":1,\"b\":[1,2]}'::jsonb AS same FROM verist_state").get(0))
                .containsEntry("same", true);
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void setOverlaySetsUpdatedAtToANewerDatabaseTime() {
        RunState created = create(Map.of("a", 1));

        Instant before = dbClock();
        RunState state = store.setOverlay(WF, RUN, Map.of("a", 2));
        Instant after = dbClock();

        assertThat(state.updatedAt()).isAfter(created.updatedAt()).isBetween(before, after);
        assertThat(state.createdAt()).isEqualTo(created.createdAt());
        Map<String, Object> row = tables.all("verist_state").get(0);
        assertThat(((Timestamp) row.get("updated_at")).toInstant()).isEqualTo(state.updatedAt());
        assertThat(((Timestamp) row.get("created_at")).toInstant()).isEqualTo(created.createdAt());
    }

    @Test
    void nullInOverlayOverridesComputedInEffective() {
        create(Map.of("a", 1, "b", 2));
        Map<String, Object> overlay = new LinkedHashMap<>();
        overlay.put("a", null);

        RunState state = store.setOverlay(WF, RUN, overlay);

        assertThat(state.overlay()).containsKey("a");
        assertThat(state.effective()).containsKey("a").containsEntry("b", 2);
        assertThat(state.effective().get("a")).isNull();
        Map<String, Object> loadedEffective = store.load(WF, RUN).orElseThrow().effective();
        assertThat(loadedEffective).containsKey("a").containsEntry("b", 2).hasSize(2);
        assertThat(loadedEffective.get("a")).isNull();
        assertThat(tables.rows("SELECT jsonb_typeof(overlay->'a') AS t FROM verist_state").get(0))
                .containsEntry("t", "null");
    }

    @Test
    void effectiveIsComputedWithOverlayOnTopPerTopLevelKey() {
        create(Map.of("a", 1, "n", Map.of("x", 1, "y", 2), "keep", "k"));

        RunState state = store.setOverlay(WF, RUN, Map.of("n", Map.of("x", 9), "extra", "e"));

        assertThat(state.effective()).isEqualTo(Map.of("a", 1, "n", Map.of("x", 9), "keep", "k", "extra", "e"));
        assertThat(state.computed()).isEqualTo(Map.of("a", 1, "n", Map.of("x", 1, "y", 2), "keep", "k"));
        assertThat(tables.rows("SELECT count(*) AS n FROM information_schema.columns"
                + " WHERE table_name = 'verist_state' AND column_name = 'effective'").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void commitAfterOverlayKeepsOverlay() {
        create(Map.of("a", 1, "b", 2));
        store.setOverlay(WF, RUN, Map.of("a", "human"));

        RunState state = store.commit(Commit.builder(WF, RUN, "s2").expectedVersion(1)
                .output(Map.of("a", 10, "b", 20, "c", 30)).build());

        assertThat(state.version()).isEqualTo(2);
        assertThat(state.overlay()).isEqualTo(Map.of("a", "human"));
        assertThat(state.computed()).isEqualTo(Map.of("a", 10, "b", 20, "c", 30));
        assertThat(state.effective()).isEqualTo(Map.of("a", "human", "b", 20, "c", 30));
        assertThat(store.load(WF, RUN).orElseThrow().overlay()).isEqualTo(Map.of("a", "human"));
    }

    @Test
    void setOverlayOfMissingRunIsNotFoundAndWritesNothing() {
        create(Map.of("a", 1));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.setOverlay(WF, "missing", Map.of("a", 2)))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains(WF + "/missing");
                });
        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void nullOverlayIsInvalidNamingOverlay() {
        create(Map.of("a", 1));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.setOverlay(WF, RUN, null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("overlay");
                    assertThat(e.getMessage()).contains("overlay");
                    assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
                });
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void overlayWithNaNIsInvalidNamingThePathAndStateIsUnchanged() {
        create(Map.of("a", 1));
        store.setOverlay(WF, RUN, Map.of("o", 1));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertInvalid(Map.of("x", Double.NaN, "ok", 1), "overlay.x");
        assertInvalid(Map.of("n", Map.of("list", List.of(1.0, Double.POSITIVE_INFINITY))), "overlay.n.list[1]");

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void overlayWithUnstorableStringIsInvalidNamingThePathAndStateIsUnchanged() {
        create(Map.of("a", 1));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertInvalid(Map.of("x", "nul\u0000here"), "overlay.x");
        assertInvalid(Map.of("y", List.of("fine", "lone \uD83D surrogate")), "overlay.y[1]");

        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ helpers

    private void assertInvalid(Map<String, ?> overlay, String field) {
        assertThatThrownBy(() -> store.setOverlay(WF, RUN, overlay))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(field);
                    assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
                });
    }

    private RunState create(Map<String, Object> output) {
        return store.commit(Commit.builder(WF, RUN, "s1").output(output).build());
    }

    private Instant dbClock() {
        return ((Timestamp) tables.rows("SELECT clock_timestamp() AS t").get(0).get("t")).toInstant();
    }

}
