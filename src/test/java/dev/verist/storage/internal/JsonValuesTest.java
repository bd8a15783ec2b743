package dev.verist.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.ErrorCode;
import dev.verist.storage.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link JsonValues#storable}: what callers hand in, as a JSON tree PostgreSQL jsonb can store. */
class JsonValuesTest {

    // ------------------------------------------------------------------ plain trees: no copy

    @Test
    void plainTreeComesBackAsTheSameInstance() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("s", "text 😀 漢字");
        tree.put("i", 1);
        tree.put("l", 5L);
        tree.put("d", 0.5);
        tree.put("f", 0.25f);
        tree.put("big", new BigInteger("123456789012345678901234567890"));
        tree.put("dec", new BigDecimal("0.1000000000000000000001"));
        tree.put("b", true);
        tree.put("nil", null);
        List<Object> list = new ArrayList<>(List.of(1, "two", Map.of("k", List.of())));
        tree.put("list", list);

        assertThat(JsonValues.storable(tree, "p")).isSameAs(tree);
        assertThat(JsonValues.storableObject(tree, "p")).isSameAs(tree);
        assertThat(JsonValues.storable(list, "p")).isSameAs(list);
    }

    @Test
    void immutableMapsAndListsComeBackAsTheSameInstance() {
        Map<String, Object> tree = Map.of("a", List.of(1, 2, Map.of("b", "c")), "d", Map.of());
        List<Object> list = List.of("x", List.of(1.5));

        assertThat(JsonValues.storable(tree, "p")).isSameAs(tree);
        assertThat(JsonValues.storable(list, "p")).isSameAs(list);
    }

    @Test
    void leavesComeBackAsTheSameInstance() {
        String s = "plain";
        Long l = 9_007_199_254_740_993L;
        BigDecimal dec = new BigDecimal("1E+2");

        assertThat(JsonValues.storable(s, "p")).isSameAs(s);
        assertThat(JsonValues.storable(l, "p")).isSameAs(l);
        assertThat(JsonValues.storable(dec, "p")).isSameAs(dec);
        assertThat(JsonValues.storable(Boolean.FALSE, "p")).isSameAs(Boolean.FALSE);
        assertThat(JsonValues.storable(null, "p")).isNull();
        assertThat(JsonValues.storableObject(null, "p")).isNull();
    }

    // ------------------------------------------------------------------ conversions

    @Test
    void recordIsConvertedToAMap() {
        Object tree = JsonValues.storable(new Point(1, "a"), "p");

        assertThat(tree).isInstanceOf(Map.class).isEqualTo(Map.of("x", 1, "label", "a"));
    }

    @Test
    void pojoIsConvertedToAMapOfItsProperties() {
        Object tree = JsonValues.storable(new Bean(), "p");

        assertThat(tree).isEqualTo(Map.of("name", "b", "count", 4, "tags", List.of("t1", "t2")));
    }

    @Test
    void recordInsideAPlainTreeIsConvertedWithoutChangingTheInput() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("before", List.of(1));
        input.put("point", new Point(2, "b"));
        input.put("after", "z");
        List<Object> list = List.of("x", new Point(3, "c"));

        Object tree = JsonValues.storable(input, "p");
        Object listTree = JsonValues.storable(list, "p");

        assertThat(tree).isEqualTo(Map.of("before", List.of(1), "point", Map.of("x", 2, "label", "b"), "after", "z"));
        assertThat(new ArrayList<Object>(((Map<?, ?>) tree).keySet())).containsExactly("before", "point", "after");
        assertThat(input.get("point")).isInstanceOf(Point.class);
        assertThat(listTree).isEqualTo(List.of("x", Map.of("x", 3, "label", "c")));
        assertThat(list.get(1)).isInstanceOf(Point.class);
    }

    @Test
    void arraysAreConvertedToLists() {
        assertThat(JsonValues.storable(new int[] {1, 2, 3}, "p")).isEqualTo(List.of(1, 2, 3));
        assertThat(JsonValues.storable(new String[] {"a", "b"}, "p")).isEqualTo(List.of("a", "b"));
        assertThat(JsonValues.storable(new double[] {0.5}, "p")).isEqualTo(List.of(0.5));
        assertThat(JsonValues.storable(new int[][] {{1}, {2, 3}}, "p")).isEqualTo(List.of(List.of(1), List.of(2, 3)));
        assertThat(JsonValues.storable(new Object[] {new Point(1, "a"), null}, "p"))
                .isEqualTo(java.util.Arrays.asList(Map.of("x", 1, "label", "a"), null));
    }

    @Test
    void setsAreConvertedToListsInIterationOrder() {
        Set<String> ordered = new LinkedHashSet<>(List.of("b", "a", "c"));

        assertThat(JsonValues.storable(ordered, "p")).isInstanceOf(List.class).isEqualTo(List.of("b", "a", "c"));
        assertThat(JsonValues.storable(new TreeSet<>(Set.of(3, 1, 2)), "p")).isEqualTo(List.of(1, 2, 3));
        assertThat(JsonValues.storable(Map.of("s", Set.of("only")), "p")).isEqualTo(Map.of("s", List.of("only")));
    }

    @Test
    void javaTimeBecomesIsoStrings() {
        assertThat(JsonValues.storable(Instant.parse("2024-01-02T03:04:05.123Z"), "p"))
                .isEqualTo("2024-01-02T03:04:05.123Z");
        assertThat(JsonValues.storable(Map.of("day", LocalDate.of(2024, 1, 2)), "p"))
                .isEqualTo(Map.of("day", "2024-01-02"));
    }

    @Test
    void nonStringKeysAndCharactersBecomeStrings() {
        assertThat(JsonValues.storable(Map.of(1, "one"), "p")).isEqualTo(Map.of("1", "one"));
        assertThat(JsonValues.storable('x', "p")).isEqualTo("x");
    }

    // ------------------------------------------------------------------ errors name the path

    @Test
    void nonFiniteNumberIsRejectedAtItsPath() {
        assertInvalid(Double.NaN, "p", "p");
        assertInvalid(Map.of("a", List.of(1, 2, Map.of("b", Double.NaN))), "p", "p.a[2].b");
        assertInvalid(Map.of("f", Float.POSITIVE_INFINITY), "output", "output.f");
        assertInvalid(List.of(Double.NEGATIVE_INFINITY), "commands[0].input", "commands[0].input[0]");
        assertInvalid(new double[] {1.0, Double.NaN}, "p", "p[1]");
    }

    @Test
    void unstorableStringIsRejectedAtItsPath() {
        assertInvalid("a\u0000b", "root", "root");
        assertInvalid(Map.of("a", Map.of("b", "x\uD83D")), "p", "p.a.b");
        assertInvalid(Map.of("a", List.of("ok", "\uDE00")), "p", "p.a[1]");
        assertInvalid(Set.of("\u0000"), "p", "p[0]");
        assertInvalid('\u0000', "p", "p");
    }

    @Test
    void unstorableKeyIsRejectedAtItsMap() {
        assertInvalid(Map.of("k\u0000", 1), "p", "p");
        assertInvalid(Map.of("a", Map.of("\uD800", 1)), "p", "p.a");
    }

    @Test
    void nullKeyIsRejectedAtItsMap() {
        Map<String, Object> withNullKey = new HashMap<>();
        withNullKey.put(null, 1);

        assertThatThrownBy(() -> JsonValues.storable(Map.of("m", withNullKey), "p"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("p.m");
                    assertThat(e.getMessage()).contains("null key");
                });
    }

    @Test
    void unstorableValueInsideARecordIsRejectedAtItsPropertyPath() {
        assertInvalid(Map.of("h", new Holder("bad\u0000")), "p", "p.h.text");
    }

    @Test
    void valueJacksonCannotConvertIsRejectedAtItsPath() {
        assertInvalid(Map.of("e", new Exploding()), "p", "p.e");
    }

    @Test
    void hashableSkipsTheStorageChecks() {
        Map<String, Object> tree = Map.of("nan", Double.NaN, "nul", "\u0000");

        assertThat(JsonValues.hashable(tree, "p")).isSameAs(tree);
        assertThat(JsonValues.hashable(new Point(1, "\u0000"), "p")).isEqualTo(Map.of("x", 1, "label", "\u0000"));
    }

    // ------------------------------------------------------------------ helpers

    public record Point(int x, String label) {
    }

    public record Holder(String text) {
    }

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

    public static final class Exploding {
        public String getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    private static void assertInvalid(Object value, String path, String field) {
        assertThatThrownBy(() -> JsonValues.storable(value, path))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field);
                    assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION_ERROR);
                });
    }
}
