package dev.verist.storage;

import static dev.verist.storage.internal.DeepValues.nestedLists;
import static dev.verist.storage.internal.DeepValues.onSmallStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verist.storage.internal.CanonicalJson;
import dev.verist.storage.internal.CommandJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dedupe keys against the vectors the TypeScript reference produced (test resource
 * {@code vectors/dedupe-keys.json}), and the absent-versus-null rules the vectors only sample.
 */
class DedupeKeysTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> vectors() throws IOException {
        try (InputStream in = DedupeKeysTest.class.getResourceAsStream("/vectors/dedupe-keys.json")) {
            assertThat(in).as("vectors/dedupe-keys.json on the test classpath").isNotNull();
            List<Map<String, Object>> vectors = MAPPER.readValue(in, new TypeReference<>() { });
            assertThat(vectors).isNotEmpty();
            return vectors.stream().map(v -> arguments(v.get("note"), v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void canonicalTextAndKeyMatchTheReference(String note, Map<String, Object> vector) throws Exception {
        Object command = commandTree(vector);
        String workflowId = (String) vector.get("workflowId");
        String runId = (String) vector.get("runId");
        String stepId = (String) vector.get("stepId");
        String expectedKey = (String) vector.get("dedupeKey");

        // insertion order deliberately unsorted: the writer must sort
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("workflowId", workflowId);
        wrapper.put("runId", runId);
        wrapper.put("stepId", stepId);
        wrapper.put("command", command);
        assertThat(CanonicalJson.write(wrapper)).isEqualTo(vector.get("canonical"));
        assertThat(sha256Hex((String) vector.get("canonical"))).as("the vector's own key").isEqualTo(expectedKey);

        assertThat(CanonicalJson.dedupeKey(workflowId, runId, stepId, command)).isEqualTo(expectedKey);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    @SuppressWarnings("unchecked")
    void publicApiGivesTheReferenceKeyForTheCommandRecord(String note, Map<String, Object> vector) throws Exception {
        Command command = CommandJson.fromTree((Map<String, Object>) commandTree(vector));

        String key = DedupeKeys.of((String) vector.get("workflowId"), (String) vector.get("runId"),
                (String) vector.get("stepId"), command);

        assertThat(key).isEqualTo(vector.get("dedupeKey"));
    }

    @Test
    void reviewWithoutPayloadOmitsThePayloadMember() {
        String key = DedupeKeys.of("wf", "run", "step", Command.review("needs a human"));

        assertThat(key)
                .isEqualTo(CanonicalJson.dedupeKey("wf", "run", "step", tree("type", "review", "reason", "needs a human")))
                .isEqualTo(DedupeKeys.of("wf", "run", "step", new Command.Review("needs a human", null)))
                .isNotEqualTo(DedupeKeys.of("wf", "run", "step", Command.review("needs a human", Map.of())));
    }

    @Test
    void reviewPayloadIsHashedWhenPresent() {
        Map<String, Object> payload = tree("score", 0.5);

        assertThat(DedupeKeys.of("wf", "run", "step", Command.review("low score", payload)))
                .isEqualTo(CanonicalJson.dedupeKey("wf", "run", "step",
                        tree("type", "review", "reason", "low score", "payload", payload)));
    }

    @Test
    void suspendWithoutResumeStepOmitsTheResumeStepMember() {
        Map<String, Object> checkpoint = tree("page", 3);

        String key = DedupeKeys.of("wf", "run", "step", Command.suspend("waiting", checkpoint));

        assertThat(key)
                .isEqualTo(CanonicalJson.dedupeKey("wf", "run", "step",
                        tree("type", "suspend", "reason", "waiting", "checkpoint", checkpoint)))
                .isNotEqualTo(DedupeKeys.of("wf", "run", "step", Command.suspend("waiting", checkpoint, "step")));
    }

    @Test
    void suspendWithResumeStepHashesIt() {
        Map<String, Object> checkpoint = tree("page", 3);

        assertThat(DedupeKeys.of("wf", "run", "step", Command.suspend("waiting", checkpoint, "resume-here")))
                .isEqualTo(CanonicalJson.dedupeKey("wf", "run", "step", tree("type", "suspend", "reason", "waiting",
                        "checkpoint", checkpoint, "resumeStep", "resume-here")));
    }

    @Test
    void invokeWithNullInputWritesInputNullAsTheReferenceDoes() {
        // the vector "invoke with input null - 'input':null kept"
        assertThat(DedupeKeys.of("wf-1", "run-1", "step-1", Command.invoke("x", null)))
                .isEqualTo("ea81f32999917c03e9cbfe8e12fc25216a58c31d47bceec523aecd2e790ba9fa");
    }

    @Test
    void fanoutKeepsTheOrderOfItsInputs() {
        assertThat(DedupeKeys.of("wf", "run", "step", Command.fanout("each", List.of(1, 2))))
                .isNotEqualTo(DedupeKeys.of("wf", "run", "step", Command.fanout("each", List.of(2, 1))))
                .isEqualTo(CanonicalJson.dedupeKey("wf", "run", "step",
                        tree("type", "fanout", "step", "each", "inputs", List.of(1, 2))));
    }

    @Test
    void recordInputHashesLikeTheEquivalentMap() {
        Claim claim = new Claim("total", 12.5, List.of("a", "b"), null);
        Map<String, Object> same = tree("tags", List.of("a", "b"), "name", "total", "note", null, "score", 12.5);

        assertThat(DedupeKeys.of("wf", "run", "step", Command.invoke("check", claim)))
                .isEqualTo(DedupeKeys.of("wf", "run", "step", Command.invoke("check", same)));
    }

    @Test
    void pojoInputHashesLikeTheEquivalentMap() {
        Map<String, Object> same = tree("label", "x", "count", 3);

        assertThat(DedupeKeys.of("wf", "run", "step", Command.emit("topic", new Counter("x", 3))))
                .isEqualTo(DedupeKeys.of("wf", "run", "step", Command.emit("topic", same)));
    }

    @Test
    void numbersHashAsTheDoubleJavaScriptWouldSee() {
        String asInt = DedupeKeys.of("wf", "run", "step", Command.invoke("s", tree("n", 1)));

        assertThat(DedupeKeys.of("wf", "run", "step", Command.invoke("s", tree("n", 1.0)))).isEqualTo(asInt);
        assertThat(DedupeKeys.of("wf", "run", "step", Command.invoke("s", tree("n", 1L)))).isEqualTo(asInt);
        assertThat(DedupeKeys.of("wf", "run", "step", Command.invoke("s", tree("n", -0.0))))
                .isEqualTo(DedupeKeys.of("wf", "run", "step", Command.invoke("s", tree("n", 0))));
    }

    @Test
    void missingIdsAreRejected() {
        Command command = Command.invoke("s", null);

        assertThatThrownBy(() -> DedupeKeys.of(null, "run", "step", command)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DedupeKeys.of("wf", null, "step", command)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DedupeKeys.of("wf", "run", null, command)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DedupeKeys.of("wf", "run", "step", null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void inputNestedDeeperThanTheLimitIsInvalidOnASmallStack() throws InterruptedException {
        Object deep = nestedLists(2_000);

        Throwable thrown = onSmallStack(() -> DedupeKeys.of("wf", "run", "step", Command.invoke("s", deep)));

        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("command.input[0][0][0][0][0][0][0][0]");
            assertThat(e.getMessage()).endsWith(": … nests deeper than 1000 levels");
        });
    }

    @Test
    void inputContainingItselfIsInvalidOnASmallStack() throws InterruptedException {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("self", self);

        Throwable thrown = onSmallStack(() -> DedupeKeys.of("wf", "run", "step", Command.emit("t", List.of(self))));

        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("command.payload[0]");
            assertThat(e.getMessage()).isEqualTo("command.payload[0]: contains itself, which JSON cannot hold");
        });
    }

    @Test
    void inputNestedExactlyToTheLimitHashesLikeItsCanonicalText() throws Exception {
        Object atLimit = nestedLists(1_000);
        String canonical = "{\"command\":{\"input\":" + "[".repeat(1_000) + "1" + "]".repeat(1_000)
                + ",\"step\":\"s\",\"type\":\"invoke\"},\"runId\":\"run\",\"stepId\":\"step\",\"workflowId\":\"wf\"}";

        assertThat(DedupeKeys.of("wf", "run", "step", Command.invoke("s", atLimit))).isEqualTo(sha256Hex(canonical));
    }

    /** A record a step might pass as input. */
    record Claim(String name, double score, List<String> tags, String note) {
    }

    /** A JavaBean a step might pass as payload. */
    public static final class Counter {
        private final String label;
        private final int count;

        Counter(String label, int count) {
            this.label = label;
            this.count = count;
        }

        public String getLabel() {
            return label;
        }

        public int getCount() {
            return count;
        }
    }

    /** The vector's command; a string is the literal JSON text a parser would see. */
    private static Object commandTree(Map<String, Object> vector) throws IOException {
        Object command = vector.get("command");
        return command instanceof String text ? MAPPER.readValue(text, Object.class) : command;
    }

    private static Map<String, Object> tree(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
