package dev.verist.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical-JSON rules one by one. Expected texts are what Node's {@code JSON.stringify} prints for
 * the same value (checked when these tests were written), not what this implementation happens to print.
 */
class CanonicalJsonTest {

    // ---------------------------------------------------------------- strings

    @Test
    void quoteAndBackslashAreEscaped() {
        assertThat(CanonicalJson.write("say \"hi\" \\o/")).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
    }

    @Test
    void backspaceFormFeedNewlineCarriageReturnAndTabUseShortEscapes() {
        assertThat(CanonicalJson.write("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    }

    @Test
    void everyOtherControlCharacterIsEscapedAsLowercaseHex() {
        Set<Character> shortEscaped = Set.of('\b', '\f', '\n', '\r', '\t');
        for (char c = 0; c < 0x20; c++) {
            if (shortEscaped.contains(c)) {
                continue;
            }
            String expected = String.format("\"a\\u%04xb\"", (int) c);
            assertThat(CanonicalJson.write("a" + c + "b")).as("U+%04X", (int) c).isEqualTo(expected);
        }
        assertThat(CanonicalJson.write("\u001b\u001f\u000b\u0000"))
                .isEqualTo("\"\\u001b\\u001f\\u000b\\u0000\"");
    }

    @Test
    void slashDeleteAndLineSeparatorsAreLiteral() {
        String text = "a/b\u007f\u2028\u2029\u0080\u009f";
        assertThat(CanonicalJson.write(text)).isEqualTo("\"" + text + "\"");
    }

    @Test
    void nonAsciiTextIsLiteral() {
        String text = "héllo wörld ✓ 日本語 ｱ \uFEFF \uFFFF";
        assertThat(CanonicalJson.write(text)).isEqualTo("\"" + text + "\"");
    }

    @Test
    void validSurrogatePairIsLiteral() {
        assertThat(CanonicalJson.write("x😀y👩‍💻")).isEqualTo("\"x😀y👩‍💻\"");
        assertThat(CanonicalJson.write("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
    }

    @Test
    void loneHighSurrogateIsEscapedAsLowercaseHex() {
        assertThat(CanonicalJson.write("\ud83d")).isEqualTo("\"\\ud83d\"");
        assertThat(CanonicalJson.write("a\ud800b")).isEqualTo("\"a\\ud800b\"");
        assertThat(CanonicalJson.write("\udbff\udbff")).isEqualTo("\"\\udbff\\udbff\"");
    }

    @Test
    void loneLowSurrogateIsEscapedAsLowercaseHex() {
        assertThat(CanonicalJson.write("\ude00")).isEqualTo("\"\\ude00\"");
        assertThat(CanonicalJson.write("a\udfffb")).isEqualTo("\"a\\udfffb\"");
    }

    @Test
    void reversedSurrogatePairIsTwoLoneSurrogates() {
        assertThat(CanonicalJson.write("\ude00\ud83d")).isEqualTo("\"\\ude00\\ud83d\"");
    }

    @Test
    void loneSurrogateNextToAValidPairEscapesOnlyTheLoneOne() {
        assertThat(CanonicalJson.write("\ud800\ud83d\ude00")).isEqualTo("\"\\ud800\ud83d\ude00\"");
        assertThat(CanonicalJson.write("\ud83d\ude00\ude00")).isEqualTo("\"\ud83d\ude00\\ude00\"");
    }

    @Test
    void escapesInTheMiddleOfLongTextKeepTheSurroundingRuns() {
        assertThat(CanonicalJson.write("start\"\u0001middle\\\nend"))
                .isEqualTo("\"start\\\"\\u0001middle\\\\\\nend\"");
        assertThat(CanonicalJson.write("")).isEqualTo("\"\"");
    }

    @Test
    void keysAreEscapedLikeStrings() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a\"b", 1);
        tree.put("\n", 2);
        tree.put("\ud800", 3);
        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"\\n\":2,\"a\\\"b\":1,\"\\ud800\":3}");
    }

    // ---------------------------------------------------------------- numbers

    static Stream<Arguments> javaScriptNumberTexts() {
        return Stream.of(
                arguments(0.0, "0"),
                arguments(-0.0, "0"),
                arguments(1.0, "1"),
                arguments(-1.0, "-1"),
                arguments(1.5, "1.5"),
                arguments(0.95, "0.95"),
                arguments(0.1, "0.1"),
                arguments(0.1 + 0.2, "0.30000000000000004"),
                arguments(1e15 + 0.5, "1000000000000000.5"),
                arguments(4294967296.5, "4294967296.5"),
                arguments(1e16, "10000000000000000"),
                arguments(1e20, "100000000000000000000"),
                arguments(123456789012345680000.0, "123456789012345680000"),
                arguments(1e21, "1e+21"),
                arguments(8.41e21, "8.41e+21"),
                arguments(1e23, "1e+23"),
                arguments(2e23, "2e+23"),
                arguments(12345678901234567890123.0, "1.2345678901234568e+22"),
                arguments(3.1526711628916387e25, "3.1526711628916387e+25"),
                arguments(231845256772633250.0, "231845256772633250"),
                arguments(6847983548744970000.0, "6847983548744970000"),
                arguments(Math.pow(2, 63), "9223372036854776000"),
                arguments(1e-6, "0.000001"),
                arguments(0.000001234, "0.000001234"),
                arguments(1e-7, "1e-7"),
                arguments(1.5e-7, "1.5e-7"),
                arguments(-1.5e-7, "-1.5e-7"),
                arguments(123e-20, "1.23e-18"),
                arguments(0.00001, "0.00001"),
                arguments(0.0000435, "0.0000435"),
                arguments(Double.MAX_VALUE, "1.7976931348623157e+308"),
                arguments(-Double.MAX_VALUE, "-1.7976931348623157e+308"),
                arguments(Double.MIN_NORMAL, "2.2250738585072014e-308"),
                arguments(Double.MIN_VALUE, "5e-324"),
                arguments(-Double.MIN_VALUE, "-5e-324"),
                arguments(9007199254740992.0, "9007199254740992"),
                arguments(9007199254740994.0, "9007199254740994"),
                arguments(-9007199254740992.0, "-9007199254740992"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("javaScriptNumberTexts")
    void doublesAreFormattedAsJavaScriptNumberToString(double value, String expected) {
        assertThat(CanonicalJson.write(value)).isEqualTo(expected);
    }

    @Test
    void nonFiniteNumbersAreNull() {
        assertThat(CanonicalJson.write(Double.NaN)).isEqualTo("null");
        assertThat(CanonicalJson.write(Double.POSITIVE_INFINITY)).isEqualTo("null");
        assertThat(CanonicalJson.write(Double.NEGATIVE_INFINITY)).isEqualTo("null");
        assertThat(CanonicalJson.write(Float.NaN)).isEqualTo("null");
        assertThat(CanonicalJson.write(Float.NEGATIVE_INFINITY)).isEqualTo("null");
        assertThat(CanonicalJson.write(new BigDecimal("1e400"))).isEqualTo("null");
    }

    @Test
    void multiplesOfTheSmallestSubnormalUseTheShortestDigits() {
        assertThat(CanonicalJson.write(Double.longBitsToDouble(1))).isEqualTo("5e-324");
        assertThat(CanonicalJson.write(Double.longBitsToDouble(2))).isEqualTo("1e-323");
        assertThat(CanonicalJson.write(Double.longBitsToDouble(3))).isEqualTo("1.5e-323");
        assertThat(CanonicalJson.write(Double.longBitsToDouble(7))).isEqualTo("3.5e-323");
        assertThat(CanonicalJson.write(Double.longBitsToDouble(100))).isEqualTo("4.94e-322");
        assertThat(CanonicalJson.write(Math.nextDown(Double.MIN_NORMAL))).isEqualTo("2.225073858507201e-308");
    }

    @Test
    void integerTypesWithinTwoToThe53ArePrintedExactly() {
        assertThat(CanonicalJson.write(42)).isEqualTo("42");
        assertThat(CanonicalJson.write(Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(CanonicalJson.write(Integer.MAX_VALUE)).isEqualTo("2147483647");
        assertThat(CanonicalJson.write((short) -7)).isEqualTo("-7");
        assertThat(CanonicalJson.write((byte) 127)).isEqualTo("127");
        assertThat(CanonicalJson.write(9007199254740992L)).isEqualTo("9007199254740992");
        assertThat(CanonicalJson.write(-9007199254740992L)).isEqualTo("-9007199254740992");
        assertThat(CanonicalJson.write(0L)).isEqualTo("0");
    }

    @Test
    void integersBeyondTwoToThe53AreRoundedToTheNearestDoubleFirst() {
        assertThat(CanonicalJson.write(9007199254740993L)).isEqualTo("9007199254740992");
        assertThat(CanonicalJson.write(9007199254740995L)).isEqualTo("9007199254740996");
        assertThat(CanonicalJson.write(Long.MAX_VALUE)).isEqualTo("9223372036854776000");
        assertThat(CanonicalJson.write(Long.MIN_VALUE)).isEqualTo("-9223372036854776000");
        assertThat(CanonicalJson.write(new BigInteger("9007199254740993"))).isEqualTo("9007199254740992");
        assertThat(CanonicalJson.write(new BigInteger("12345678901234567890123")))
                .isEqualTo("1.2345678901234568e+22");
    }

    @Test
    void bigDecimalIsFormattedAsItsNearestDouble() {
        assertThat(CanonicalJson.write(new BigDecimal("0.1"))).isEqualTo("0.1");
        assertThat(CanonicalJson.write(new BigDecimal("1.0"))).isEqualTo("1");
        assertThat(CanonicalJson.write(new BigDecimal("-0"))).isEqualTo("0");
        assertThat(CanonicalJson.write(new BigDecimal("0.30000000000000004"))).isEqualTo("0.30000000000000004");
        assertThat(CanonicalJson.write(new BigDecimal("1e21"))).isEqualTo("1e+21");
    }

    @Test
    void floatIsWidenedToTheDoubleOfTheSameValue() {
        assertThat(CanonicalJson.write(0.1f)).isEqualTo("0.10000000149011612");
        assertThat(CanonicalJson.write(1.5f)).isEqualTo("1.5");
        assertThat(CanonicalJson.write(-0.0f)).isEqualTo("0");
    }

    @Test
    void otherNumberTypesAreFormattedFromTheirDoubleValue() {
        assertThat(CanonicalJson.write(new AtomicLong(5))).isEqualTo("5");
        assertThat(CanonicalJson.write(new AtomicInteger(-3))).isEqualTo("-3");
    }

    @Test
    void negativeNumbersAreTheirMagnitudeWithAMinusSign() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            double d = Math.abs(Double.longBitsToDouble(random.nextLong()));
            if (Double.isFinite(d) && d != 0) {
                assertThat(CanonicalJson.write(-d)).isEqualTo("-" + CanonicalJson.write(d));
            }
        }
    }

    /**
     * For random bit patterns: the text parses back to the same double; no decimal with one digit fewer
     * does (if one did, one of the two neighbours of the text on that coarser grid would, since the set of
     * decimals reading back as the double is an interval); no other decimal of as many digits is closer
     * (ties go to the even digit); and it is never longer than Java 17's {@code Double.toString}.
     */
    @Test
    void randomDoublesRoundTripWithTheFewestDigitsAndTheClosestOfThem() {
        SplittableRandom random = new SplittableRandom(20_240_601);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        while (checked < 200_000) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            checked++;
            String problem = shortestProblem(d, CanonicalJson.write(d));
            if (problem != null && failures.size() < 20) {
                failures.add(Double.toHexString(d) + ": " + problem);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyPowerOfTwoAndItsNeighboursRoundTripWithTheFewestDigits() {
        List<String> failures = new ArrayList<>();
        for (int e = -1074; e <= 1023; e++) {
            double p = Math.scalb(1.0, e);
            for (double d : new double[] {Math.nextDown(p), p, Math.nextUp(p)}) {
                String problem = shortestProblem(d, CanonicalJson.write(d));
                if (problem != null && failures.size() < 20) {
                    failures.add(Double.toHexString(d) + ": " + problem);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The fast shortest-digits algorithm against a brute-force search over every precision. */
    @Test
    void formattingAgreesWithABruteForceSearchForTheShortestClosestDecimal() {
        List<Double> values = new ArrayList<>();
        for (long bits = 1; bits <= 2_000; bits++) {
            values.add(Double.longBitsToDouble(bits)); // the smallest subnormals have the fewest digits
        }
        for (int e = -1074; e <= 1023; e += 7) {
            double p = Math.scalb(1.0, e);
            Collections.addAll(values, Math.nextDown(p), p, Math.nextUp(p));
        }
        Random random = new Random(99);
        for (int i = 0; i < 20_000; i++) {
            double d = Math.abs(Double.longBitsToDouble(random.nextLong()));
            if (Double.isFinite(d) && d != 0) {
                values.add(d);
            }
            // short decimals, where the closest-of-several rule and trailing zeros matter most
            values.add(random.nextInt(1_000_000) / Math.pow(10, random.nextInt(30)));
            values.add(random.nextInt(1_000) * Math.pow(10, random.nextInt(40) - 20));
        }
        List<String> failures = new ArrayList<>();
        for (double d : values) {
            if (d == 0) {
                continue;
            }
            String expected = bruteForceJavaScriptText(d);
            String actual = CanonicalJson.write(d);
            if (!expected.equals(actual) && failures.size() < 20) {
                failures.add(Double.toHexString(d) + ": expected " + expected + " but was " + actual);
            }
        }
        assertThat(failures).isEmpty();
    }

    // ---------------------------------------------------------------- key order

    @Test
    void integerLikeKeysComeFirstInNumericOrder() {
        assertThat(CanonicalJson.write(mapOf("10", 1, "9", 2, "a", 3))).isEqualTo("{\"9\":2,\"10\":1,\"a\":3}");
    }

    @Test
    void keysWithLeadingZerosAreOrdinaryStrings() {
        assertThat(CanonicalJson.write(mapOf("01", 1, "1", 2, "0", 3, "00", 4)))
                .isEqualTo("{\"0\":3,\"1\":2,\"00\":4,\"01\":1}");
    }

    @Test
    void theLargestArrayIndexKeyIs4294967294() {
        assertThat(CanonicalJson.write(mapOf("4294967295", 1, "4294967294", 2, "a", 3, "10000000000", 4)))
                .isEqualTo("{\"4294967294\":2,\"10000000000\":4,\"4294967295\":1,\"a\":3}");
    }

    @Test
    void signedDecimalAndPaddedNumberKeysAreOrdinaryStrings() {
        assertThat(CanonicalJson.write(mapOf("-1", 1, "1.5", 2, "+1", 3, " 1", 4, "1e3", 5, "2", 6)))
                .isEqualTo("{\"2\":6,\" 1\":4,\"+1\":3,\"-1\":1,\"1.5\":2,\"1e3\":5}");
    }

    @Test
    void otherKeysSortByUtf16CodeUnitsSoEmojiPrecedesHalfwidthKatakana() {
        assertThat(CanonicalJson.write(mapOf("ｱ", 1, "😀", 2, "z", 3, "Z", 4, "é", 5)))
                .isEqualTo("{\"Z\":4,\"z\":3,\"é\":5,\"😀\":2,\"ｱ\":1}");
    }

    @Test
    void allKeyKindsTogetherMatchNodeOutput() {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String key : List.of("10", "9", "a", "01", "4294967295", "4294967294", "😀", "ｱ", "", "-1", "1.5", "Z",
                "0", "4294967293")) {
            tree.put(key, 1);
        }
        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"0\":1,\"9\":1,\"10\":1,\"4294967293\":1,\"4294967294\":1,"
                + "\"\":1,\"-1\":1,\"01\":1,\"1.5\":1,\"4294967295\":1,\"Z\":1,\"a\":1,\"😀\":1,\"ｱ\":1}");
    }

    @Test
    void keyOrderDoesNotDependOnTheMapImplementation() {
        Map<String, Object> linked = mapOf("b", 1, "a", 2, "10", 3, "2", 4);
        String expected = "{\"2\":4,\"10\":3,\"a\":2,\"b\":1}";
        assertThat(CanonicalJson.write(linked)).isEqualTo(expected);
        assertThat(CanonicalJson.write(new HashMap<>(linked))).isEqualTo(expected);
        assertThat(CanonicalJson.write(new TreeMap<>(linked))).isEqualTo(expected);
        assertThat(linked.keySet()).containsExactly("b", "a", "10", "2");
    }

    @Test
    void nestedObjectsAreSortedAtEveryDepth() {
        Map<String, Object> inner = mapOf("y", 2, "b", 3);
        Map<String, Object> tree = mapOf("z", 1, "a", List.of(inner, mapOf("d", mapOf("q", 1, "p", 2))));
        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"a\":[{\"b\":3,\"y\":2},{\"d\":{\"p\":2,\"q\":1}}],\"z\":1}");
    }

    // ---------------------------------------------------------------- structure

    @Test
    void arraysKeepTheirOrderAtEveryDepth() {
        List<Object> tree = List.of(3, List.of("b", "a", List.of(2, 1)), 1, List.of());
        assertThat(CanonicalJson.write(tree)).isEqualTo("[3,[\"b\",\"a\",[2,1]],1,[]]");
    }

    @Test
    void nullMapValuesAndNullArrayElementsAreKept() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("n", null);
        tree.put("list", Arrays.asList(null, 1, null));
        assertThat(CanonicalJson.write(tree)).isEqualTo("{\"list\":[null,1,null],\"n\":null}");
    }

    @Test
    void emptyObjectsAndArraysHaveNoWhitespace() {
        assertThat(CanonicalJson.write(Map.of())).isEqualTo("{}");
        assertThat(CanonicalJson.write(List.of())).isEqualTo("[]");
        assertThat(CanonicalJson.write(mapOf("o", Map.of(), "a", List.of()))).isEqualTo("{\"a\":[],\"o\":{}}");
    }

    @Test
    void scalarsAtTheTopLevelAreWrittenAlone() {
        assertThat(CanonicalJson.write(null)).isEqualTo("null");
        assertThat(CanonicalJson.write(true)).isEqualTo("true");
        assertThat(CanonicalJson.write(false)).isEqualTo("false");
        assertThat(CanonicalJson.write("s")).isEqualTo("\"s\"");
        assertThat(CanonicalJson.write(7)).isEqualTo("7");
    }

    @Test
    void typesOutsideTheJsonTreeAreRejected() {
        assertThatThrownBy(() -> CanonicalJson.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write('c')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(new int[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(Set.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(List.of(Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonStringMapKeysAreRejected() {
        assertThatThrownBy(() -> CanonicalJson.write(Map.of(1, "a"))).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> CanonicalJson.write(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- dedupe key

    @Test
    void dedupeKeyIsLowercaseHexSha256OfTheSortedWrapperText() throws Exception {
        Map<String, Object> command = mapOf("type", "invoke", "step", "verify", "input", mapOf("claims", List.of("a", "b")));
        String key = CanonicalJson.dedupeKey("verify-document", "run-123", "extract", command);

        String text = "{\"command\":{\"input\":{\"claims\":[\"a\",\"b\"]},\"step\":\"verify\",\"type\":\"invoke\"},"
                + "\"runId\":\"run-123\",\"stepId\":\"extract\",\"workflowId\":\"verify-document\"}";
        String sha = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(key).isEqualTo(sha)
                .isEqualTo("c5494c4b2f6e6d43656cc72f3bc13c2ecb68a2eac10f94e6b1f23a9bfe51bdd4")
                .matches("[0-9a-f]{64}");
    }

    @Test
    void dedupeKeyHashesTheSameTextAsWritingTheWrapperMap() throws Exception {
        Map<String, Object> command = mapOf("type", "emit", "topic", "t\"\u0001", "payload", mapOf("x", 0.1 + 0.2));
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("workflowId", "wf \"quoted\"");
        wrapper.put("runId", "run-😀");
        wrapper.put("stepId", "step\n1");
        wrapper.put("command", command);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(CanonicalJson.write(wrapper).getBytes(StandardCharsets.UTF_8)));
        assertThat(CanonicalJson.dedupeKey("wf \"quoted\"", "run-😀", "step\n1", command)).isEqualTo(sha);
    }

    @Test
    void dedupeKeyChangesWithAnyWrapperMember() {
        Map<String, Object> command = mapOf("type", "invoke", "step", "s", "input", Map.of());
        String base = CanonicalJson.dedupeKey("wf", "run", "step", command);
        assertThat(CanonicalJson.dedupeKey("wf", "run", "step", command)).isEqualTo(base);
        assertThat(Set.of(base,
                CanonicalJson.dedupeKey("wf2", "run", "step", command),
                CanonicalJson.dedupeKey("wf", "run2", "step", command),
                CanonicalJson.dedupeKey("wf", "run", "step2", command),
                CanonicalJson.dedupeKey("wf", "run", "step", mapOf("type", "invoke", "step", "s", "input", null))))
                .hasSize(5);
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Null when {@code text} is the shortest, closest round-trip decimal of d; else what is wrong. */
    private static String shortestProblem(double d, String text) {
        if (d == 0) {
            return "0".equals(text) ? null : "zero printed as " + text;
        }
        if (text.startsWith("-") != (d < 0)) {
            return "wrong sign: " + text;
        }
        double magnitude = Math.abs(d);
        BigDecimal r = new BigDecimal(d < 0 ? text.substring(1) : text).stripTrailingZeros();
        if (!readsBackAs(r, magnitude)) {
            return text + " does not read back";
        }
        int p = r.precision();
        int javaDigits = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros().precision();
        if (p > javaDigits) {
            return text + " is longer than Java's " + Double.toString(magnitude);
        }
        if (p > 1) {
            BigDecimal down = r.round(new MathContext(p - 1, RoundingMode.FLOOR));
            BigDecimal up = r.round(new MathContext(p - 1, RoundingMode.CEILING));
            if (readsBackAs(down, magnitude) || readsBackAs(up, magnitude)) {
                return text + " is not shortest";
            }
        }
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal ulp = r.ulp();
        boolean lowestSignificand = r.unscaledValue().equals(BigInteger.TEN.pow(p - 1));
        BigDecimal below = r.subtract(lowestSignificand ? ulp.movePointLeft(1) : ulp);
        BigDecimal above = r.add(ulp);
        BigDecimal distance = r.subtract(exact).abs();
        for (BigDecimal other : List.of(below, above)) {
            if (other.signum() > 0 && readsBackAs(other, magnitude)) {
                int cmp = other.subtract(exact).abs().compareTo(distance);
                if (cmp < 0 || cmp == 0 && r.unscaledValue().testBit(0)) {
                    return text + " is not the closest: " + other.toPlainString();
                }
            }
        }
        return null;
    }

    private static boolean readsBackAs(BigDecimal decimal, double d) {
        return Double.parseDouble(decimal.toString()) == d;
    }

    /**
     * ECMAScript Number::toString by its definition: at each precision from 1 up, the decimals just below
     * and above d are the only candidates; the first precision with one that reads back wins, the closer
     * (then the even) one if both do.
     */
    private static String bruteForceJavaScriptText(double d) {
        String sign = d < 0 ? "-" : "";
        BigDecimal exact = new BigDecimal(Math.abs(d));
        for (int p = 1; p <= 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = readsBackAs(down, Math.abs(d));
            boolean upOk = readsBackAs(up, Math.abs(d));
            if (!downOk && !upOk) {
                continue;
            }
            BigDecimal chosen;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                chosen = cmp < 0 || cmp == 0 && !down.unscaledValue().testBit(0) ? down : up;
            } else {
                chosen = downOk ? down : up;
            }
            return sign + ecmaScriptLayout(chosen.stripTrailingZeros());
        }
        throw new AssertionError("no decimal of 17 digits reads back as " + d);
    }

    /** ECMAScript Number::toString steps 6-12 for a positive decimal with no trailing zeros. */
    private static String ecmaScriptLayout(BigDecimal decimal) {
        String digits = decimal.unscaledValue().toString();
        int k = digits.length();
        int n = k - decimal.scale();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        String exponent = (n - 1 < 0 ? "-" : "+") + Math.abs(n - 1);
        return digits.charAt(0) + (k > 1 ? "." + digits.substring(1) : "") + "e" + exponent;
    }
}
