package dev.verist.storage.internal;

import static dev.verist.storage.internal.DeepValues.nestedLists;
import static dev.verist.storage.internal.DeepValues.onSmallStack;

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

    // ------------------------------------------------------------------ nesting depth and cycles

    @Test
    void valueNestedExactlyToTheLimitComesBackAsTheSameInstance() {
        Object atLimit = nestedLists(JsonValues.MAX_DEPTH);
        Map<String, Object> objectAtLimit = Map.of("a", nestedLists(JsonValues.MAX_DEPTH - 1));

        assertThat(JsonValues.storable(atLimit, "p")).isSameAs(atLimit);
        assertThat(JsonValues.storableObject(objectAtLimit, "p")).isSameAs(objectAtLimit);
        assertThat(JsonValues.hashable(atLimit, "p")).isSameAs(atLimit);
    }

    @Test
    void depthCountsEveryArrayAndObjectTheValueItselfIncludedAndNoLeaf() {
        List<Object> emptyAtTheBottom = new ArrayList<>();
        Object limitWithEmptyList = emptyAtTheBottom;
        for (int i = 1; i < JsonValues.MAX_DEPTH; i++) {
            limitWithEmptyList = List.of(limitWithEmptyList);
        }

        assertThat(JsonValues.storable(limitWithEmptyList, "p")).isSameAs(limitWithEmptyList);
        assertDeep(List.of(limitWithEmptyList), "p", "p[0][0][0][0][0][0][0][0]");
        assertDeep(Map.of("k", limitWithEmptyList), "p", "p.k[0][0][0][0][0][0][0]");
    }

    @Test
    void valueOneLevelBeyondTheLimitIsRejectedNamingItsShallowestEightSegments() {
        assertDeep(nestedLists(JsonValues.MAX_DEPTH + 1), "commands[0].input", "commands[0].input[0][0][0][0][0][0][0][0]");
        assertDeep(Map.of("a", Map.of("b", nestedLists(JsonValues.MAX_DEPTH))), "output", "output.a.b[0][0][0][0][0][0]");
        assertDeep(nestedArray(JsonValues.MAX_DEPTH + 1), "p", "p[0][0][0][0][0][0][0][0]");
    }

    @Test
    void valueTwentyThousandDeepIsRejectedOnASmallStack() throws InterruptedException {
        Object deep = nestedLists(20_000);

        Throwable thrown = onSmallStack(() -> JsonValues.storable(deep, "p"));

        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getMessage()).isEqualTo("p[0][0][0][0][0][0][0][0]: … nests deeper than 1000 levels"));
    }

    @Test
    void hashableRejectsDeepAndCyclicValuesToo() {
        Map<String, Object> self = new HashMap<>();
        self.put("self", self);

        assertThatThrownBy(() -> JsonValues.hashable(nestedLists(5_000), "command.input"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("command.input[0][0][0][0][0][0][0][0]"));
        assertThatThrownBy(() -> JsonValues.hashable(self, "command.input"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("command.input: contains itself, which JSON cannot hold"));
    }

    @Test
    void mapOrListContainingItselfIsRejectedAtTheContainerThatDoes() throws InterruptedException {
        Map<String, Object> selfMap = new LinkedHashMap<>();
        selfMap.put("n", 1);
        selfMap.put("self", selfMap);
        List<Object> selfList = new ArrayList<>();
        selfList.add(selfList);

        assertCycle(selfMap, "p", "p");
        assertCycle(selfList, "p", "p");
        assertCycle(Map.of("a", List.of(1, selfMap)), "p", "p.a[1]");
        assertThat(onSmallStack(() -> JsonValues.storable(Map.of("x", selfList), "p")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("p.x"));
    }

    @Test
    void cycleThroughSeveralContainersIsRejectedAtTheFirstOneOnThePath() {
        Map<String, Object> a = new LinkedHashMap<>();
        List<Object> b = new ArrayList<>();
        a.put("b", b);
        b.add(Map.of("back", a));

        assertCycle(Map.of("start", a), "p", "p.start");
        assertCycle(b, "p", "p");
    }

    @Test
    void setOrArrayContainingItselfIsRejected() {
        Set<Object> set = new LinkedHashSet<>();
        List<Object> holder = new ArrayList<>();
        holder.add(set);
        set.add(holder); // the set's hash is taken while it is still empty
        Object[] array = new Object[1];
        array[0] = array;

        assertCycle(set, "p", "p");
        assertCycle(Map.of("arr", array), "p", "p.arr");
    }

    @Test
    void cycleDeeperThanEightSegmentsIsNamedByItsFirstEight() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        Object value = nestedLists(10, self);

        assertThatThrownBy(() -> JsonValues.storable(value, "p"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("p[0][0][0][0][0][0][0][0]");
                    assertThat(e.getMessage()).isEqualTo("p[0][0][0][0][0][0][0][0]: … contains itself, which JSON cannot hold");
                });
    }

    @Test
    void sameContainerTwiceWithoutACycleIsAccepted() {
        List<Object> shared = List.of(1, 2);
        Map<String, Object> tree = Map.of("a", shared, "b", List.of(shared, shared));

        assertThat(JsonValues.storable(tree, "p")).isSameAs(tree);
    }

    @Test
    void selfReferencingPojoIsRejectedAtItsPath() {
        assertThatThrownBy(() -> JsonValues.storable(Map.of("node", new SelfReferencing()), "p"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("p.node");
                    assertThat(e.getMessage()).startsWith("p.node: cannot be converted to JSON");
                });
    }

    @Test
    void pojosReferencingEachOtherAreRejectedOnASmallStack() throws InterruptedException {
        Link first = new Link();
        Link second = new Link();
        first.next = second;
        second.next = first;

        Throwable thrown = onSmallStack(() -> JsonValues.storable(List.of(first), "p"));

        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("p[0]");
            assertThat(e.getMessage()).isEqualTo("p[0]: cannot be converted to JSON (" + Link.class.getName()
                    + "): it contains itself or nests too deeply");
        });
    }

    @Test
    void pojoChainTwoThousandDeepIsRejectedOnASmallStack() throws InterruptedException {
        Link head = new Link();
        Link last = head;
        for (int i = 0; i < 2_000; i++) {
            last.next = new Link();
            last = last.next;
        }
        Link chain = head;

        Throwable thrown = onSmallStack(() -> JsonValues.storable(chain, "p"));

        // Where Jackson's recursion runs out of stack depends on the JIT; either way the chain is too deep.
        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isIn("p", "p.next.next.next.next.next.next.next.next");
            assertThat(e.getMessage()).containsAnyOf("it contains itself or nests too deeply", "nests deeper than 1000 levels");
        });
    }

    @Test
    void pojoWhoseJsonNestsBeyondTheLimitBelowItsPathIsRejected() {
        Link head = new Link();
        Link last = head;
        for (int i = 0; i < 20; i++) {
            last.next = new Link();
            last = last.next;
        }
        Object value = nestedLists(JsonValues.MAX_DEPTH - 10, head);

        assertDeep(value, "p", "p[0][0][0][0][0][0][0][0]");
    }

    @Test
    void treeAtTheLimitWrappedTwiceIsWrittenAndReadBack() {
        Object atLimit = nestedLists(JsonValues.MAX_DEPTH);
        Map<String, Object> command = Map.of("input", Map.of("resumeData", atLimit));

        String json = JsonValues.write(command);

        assertThat(JsonValues.readObject(json)).isEqualTo(command);
        assertThat(JsonValues.read(json)).isEqualTo(command);
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

    public static final class SelfReferencing {
        public SelfReferencing getMe() {
            return this;
        }
    }

    public static final class Link {
        public Link next;
        public int n = 1;
    }

    public static final class Exploding {
        public String getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    private static Object nestedArray(int depth) {
        Object value = 1;
        for (int i = 0; i < depth; i++) {
            value = new Object[] {value};
        }
        return value;
    }

    private static void assertDeep(Object value, String path, String field) {
        assertThatThrownBy(() -> JsonValues.storable(value, path))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isEqualTo(field + ": … nests deeper than 1000 levels");
                });
    }

    private static void assertCycle(Object value, String path, String field) {
        assertThatThrownBy(() -> JsonValues.storable(value, path))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isEqualTo(field + ": contains itself, which JSON cannot hold");
                });
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
