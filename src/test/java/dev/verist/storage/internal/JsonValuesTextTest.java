package dev.verist.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.verist.storage.StoredDataException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonValues#write} and {@link JsonValues#read}: the store streams plain trees with Jackson's core API, and
 * must write and read exactly what Jackson's data binding, which it used before, wrote and read.
 */
class JsonValuesTextTest {

    private static final ObjectMapper DATA_BINDING = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    @Test
    void everyKindOfLeafIsWrittenAsDataBindingWritesIt() throws IOException {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("s", "quote \" backslash \\ tab \t nl \n ctl \u0001 line-sep \u2028 😀 漢字 </script>");
        tree.put("i", Integer.MIN_VALUE);
        tree.put("sh", (short) -7);
        tree.put("by", (byte) 127);
        tree.put("l", Long.MAX_VALUE);
        tree.put("d", List.of(0.1, -0.0, 1e-7, 1e21, 5e-324, Double.MAX_VALUE, 2e23, 100.0));
        tree.put("f", List.of(0.25f, 1.1f, -0.0f, 3.4e38f));
        tree.put("big", new BigInteger("-123456789012345678901234567890"));
        tree.put("dec", List.of(new BigDecimal("0.1000000000000000000001"), new BigDecimal("1E+3"),
                new BigDecimal("-0.00"), new BigDecimal("12345678901234567890.5")));
        tree.put("b", List.of(true, false));
        tree.put("nil", null);
        tree.put("", List.of(List.of(), Map.of(), List.of(Map.of("k", List.of()))));

        assertThat(JsonValues.write(tree)).isEqualTo(DATA_BINDING.writeValueAsString(tree));
        assertThat(JsonValues.write(null)).isEqualTo("null");
        assertThat(JsonValues.write("top")).isEqualTo("\"top\"");
    }

    @Test
    void randomTreesAreWrittenAndReadBackAsDataBindingDoes() throws IOException {
        Random random = new Random(20261204);
        for (int n = 0; n < 5_000; n++) {
            Object tree = randomTree(random, 0);
            String text = JsonValues.write(tree);
            assertThat(text).isEqualTo(DATA_BINDING.writeValueAsString(tree));
            assertThat(JsonValues.read(text)).isEqualTo(DATA_BINDING.readValue(text, Object.class));
        }
    }

    @Test
    void storedTextIsReadIntoTheSameTypesAsDataBindingReadsIt() throws IOException {
        // As PostgreSQL's jsonb prints them (spaces after ':' and ','), and some it never prints.
        List<String> texts = List.of(
                "{\"a\": 1, \"b\": [2147483647, 2147483648, 9223372036854775807, 9223372036854775808]}",
                "{\"n\": [-0, -0.0, 1.0, 1E2, 1e-7, 0.1000000000000000000001, 1e400, -1e400, 4.9e-325]}",
                "{\"big\": 123456789012345678901234567890123456789012345678901234567890}",
                "{\"s\": \"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0001 \\u00e9 \\ud83d\\ude00\"}",
                "{\"dup\": 1, \"dup\": 2}",
                "{\"deep\": {\"a\": [{\"b\": [[], {}, null, true, false]}]}}",
                "{}", "[]", "[1, \"two\", 3.5]", "\"text\"", "42", "null", "true", "  {\"ws\" :\n[ ]\t}  ");
        for (String text : texts) {
            Object read = JsonValues.read(text);
            assertThat(read).as(text).isEqualTo(DATA_BINDING.readValue(text, Object.class));
            assertThat(leafTypes(read)).as(text).isEqualTo(leafTypes(DATA_BINDING.readValue(text, Object.class)));
            if (text.trim().startsWith("{") || text.equals("null")) {
                assertThat(JsonValues.readObject(text)).as(text).isEqualTo(DATA_BINDING.readValue(text, OBJECT));
            }
        }
    }

    @Test
    void textThatIsNotAnObjectIsStoredDataWhereAnObjectIsRead() {
        for (String text : List.of("[1, 2]", "\"text\"", "42", "true")) {
            assertThatThrownBy(() -> JsonValues.readObject(text)).as(text)
                    .isInstanceOf(StoredDataException.class).hasMessageStartingWith("Stored JSON is not an object");
        }
    }

    @Test
    void textThatIsNotJsonIsStoredData() {
        for (String text : List.of("", "{", "{\"a\": }", "[1, 2", "nul", "]")) {
            assertThatThrownBy(() -> JsonValues.read(text)).as(text)
                    .isInstanceOf(StoredDataException.class).hasMessageStartingWith("Stored JSON cannot be parsed");
        }
        assertThatThrownBy(() -> JsonValues.readObject("{\"a\": [1, }"))
                .isInstanceOf(StoredDataException.class).hasMessageStartingWith("Stored JSON is not an object");
    }

    @Test
    void plainWritesAndReadsLoadNoDataBindingInAFreshJvm() throws Exception {
        Process child = new ProcessBuilder(javaBinary(), "-verbose:class", "-cp", System.getProperty("java.class.path"),
                PlainTextOnly.class.getName()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = child.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("read back equal").contains("com.fasterxml.jackson.core.JsonFactory");
        assertThat(output.lines().filter(line -> line.contains("com.fasterxml.jackson.databind")))
                .as("data binding classes loaded by plain writes and reads").isEmpty();
    }

    /** Checks a plain tree in, writes it and reads it back, the store's path for every commit and load. */
    static final class PlainTextOnly {
        public static void main(String[] args) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("a", List.of(1, 2.5, "three", true, Map.of("b", new BigInteger("123456789012345678901"))));
            tree.put("n", null);
            String text = JsonValues.write(JsonValues.storableObject(tree, "output"));
            boolean same = JsonValues.readObject(text).equals(tree) && JsonValues.read(text).equals(tree);
            System.out.println(same ? "read back equal" : "read back different: " + text);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Object randomTree(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 9 : 11);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
            case 5 -> random.nextDouble() * 1000;
            case 6 -> new BigInteger(100, random);
            case 7 -> randomString(random);
            case 8 -> random.nextInt(100);
            case 9 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), randomTree(random, depth + 1));
                }
                yield map;
            }
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomTree(random, depth + 1));
                }
                yield list;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int pick = random.nextInt(4);
            s.appendCodePoint(switch (pick) {
                case 0 -> 1 + random.nextInt(0x7f);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x1F600 + random.nextInt(0x50);
                default -> 0x4E00 + random.nextInt(0x100);
            });
        }
        return s.toString();
    }

    private static Object leafTypes(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<Object, Object> types = new LinkedHashMap<>();
            map.forEach((k, v) -> types.put(k, leafTypes(v)));
            return types;
        }
        if (tree instanceof List<?> list) {
            return list.stream().map(JsonValuesTextTest::leafTypes).toList();
        }
        return tree == null ? "null" : tree.getClass().getName();
    }
}
