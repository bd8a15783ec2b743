package dev.verist.storage.pg;

import static dev.verist.storage.internal.DeepValues.nestedLists;
import static dev.verist.storage.internal.DeepValues.onSmallStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.LlmTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JSON values nest at most 1,000 levels (arrays and objects, the value itself included) and never contain
 * themselves: every JSON-carrying input rejects deeper or cyclic values with {@link InvalidRequestException}
 * naming the field, before anything is written, on a small thread stack too; a value exactly at the limit is
 * stored and reads back equal. Each case starts with rows in every table: run {@code wf/existing} (an event and a
 * pending emit) and run {@code wf/suspended} (an active suspend block).
 */
@StoreContract
class JsonNestingTest extends StoreTest {

    private static final int LIMIT = 1000;
    private static final String WF = "wf";
    private static final String NEW = "new";
    private static final String EXISTING = "existing";
    private static final String SUSPENDED = "suspended";

    /** How an input holds the value under test: the value itself, under key "value" of an object, or in a list. */
    enum Shape {
        ANY("", 0), OBJECT(".value", 1), LIST("[0]", 1);

        final String suffix;
        final int levels;

        Shape(String suffix, int levels) {
            this.suffix = suffix;
            this.levels = levels;
        }

        Object wrap(Object value) {
            return switch (this) {
                case ANY -> value;
                case OBJECT -> Map.of("value", value);
                case LIST -> List.of(value);
            };
        }
    }

    /** Every input that carries JSON: how to hand a value to the store, and how to read it back. */
    enum Input {
        OUTPUT("output", Shape.OBJECT) {
            @Override
            void hand(PgRunStore store, Object value) {
                store.commit(Commit.builder(WF, NEW, "s").output(object(value)).build());
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.load(WF, NEW).orElseThrow().computed();
            }
        },
        OVERLAY("overlay", Shape.OBJECT) {
            @Override
            void hand(PgRunStore store, Object value) {
                store.setOverlay(WF, EXISTING, object(value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.load(WF, EXISTING).orElseThrow().overlay();
            }
        },
        EVENT_PAYLOAD("events[0].payload", Shape.OBJECT) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, AuditEvent.of("e", object(value)));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.events(WF, NEW).get(0).payload();
            }
        },
        LLM_TRACE_INPUT("events[0].llmTrace.input", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, AuditEvent.of("e").withLlmTrace(trace(value, null)));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.events(WF, NEW).get(0).llmTrace().input();
            }
        },
        LLM_TRACE_OUTPUT("events[0].llmTrace.output", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, AuditEvent.of("e").withLlmTrace(trace(null, value)));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.events(WF, NEW).get(0).llmTrace().output();
            }
        },
        INVOKE_INPUT("commands[0].input", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, Command.invoke("next", value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return ((Command.Invoke) leased(store, NEW)).input();
            }
        },
        FANOUT_INPUTS("commands[0].inputs", Shape.LIST) {
            @Override
            @SuppressWarnings("unchecked")
            void hand(PgRunStore store, Object value) {
                commit(store, Command.fanout("each", (List<Object>) value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return ((Command.Fanout) leased(store, NEW)).inputs();
            }
        },
        REVIEW_PAYLOAD("commands[0].payload", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, Command.review("check", value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.getBlock(WF, NEW).orElseThrow().payload();
            }
        },
        EMIT_PAYLOAD("commands[0].payload", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, Command.emit("topic", value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return ((Command.Emit) leased(store, NEW)).payload();
            }
        },
        SUSPEND_CHECKPOINT("commands[0].checkpoint", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                commit(store, Command.suspend("wait", value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return store.getBlock(WF, NEW).orElseThrow().payload();
            }
        },
        RESUME_DATA("resolution.resumeData", Shape.ANY) {
            @Override
            void hand(PgRunStore store, Object value) {
                store.resolveBlock(WF, SUSPENDED, Resolution.resume(value));
            }

            @Override
            Object readBack(PgRunStore store) {
                return ((Map<?, ?>) ((Command.Invoke) leased(store, SUSPENDED)).input()).get("resumeData");
            }
        };

        final String field;
        final Shape shape;

        Input(String field, Shape shape) {
            this.field = field;
            this.shape = shape;
        }

        /** Hands {@code value} to the store as this input. */
        abstract void hand(PgRunStore store, Object value);

        /** This input's value as the store reads it back after {@link #hand}. */
        abstract Object readBack(PgRunStore store);

        /** A value of exactly {@code depth} levels, in this input's shape. */
        Object nested(int depth) {
            return shape.wrap(nestedLists(depth - shape.levels));
        }

        /** The field a depth error names: the input and the first 8 segments below it. */
        String deepField() {
            return field + shape.suffix + "[0]".repeat(8 - shape.levels);
        }
    }

    // ------------------------------------------------------------------ deeper than the limit

    @ParameterizedTest
    @EnumSource(Input.class)
    void valueNestedTwoThousandDeepIsInvalidOnASmallStackAndWritesNothing(Input input) throws InterruptedException {
        seed();
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        Throwable thrown = onSmallStack(() -> input.hand(store, input.nested(2_000)));

        assertDeepAndRejected(thrown, input);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void valueNestedTwentyThousandDeepIsInvalidAndWritesNothing(Input input) {
        seed();
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        Throwable thrown = thrownBy(() -> input.hand(store, input.nested(20_000)));

        assertDeepAndRejected(thrown, input);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void valueOneLevelBeyondTheLimitIsInvalidAndWritesNothing(Input input) {
        seed();
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        Throwable thrown = thrownBy(() -> input.hand(store, input.nested(LIMIT + 1)));

        assertDeepAndRejected(thrown, input);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ cycles

    @ParameterizedTest
    @EnumSource(Input.class)
    void mapContainingItselfIsInvalidAndWritesNothing(Input input) throws InterruptedException {
        seed();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("name", "loop");
        self.put("self", self);
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        Throwable thrown = onSmallStack(() -> input.hand(store, input.shape.wrap(self)));

        assertContainsItselfAndRejected(thrown, input.field + input.shape.suffix);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void listContainingItselfIsInvalidAndWritesNothing(Input input) throws InterruptedException {
        seed();
        List<Object> self = new ArrayList<>();
        self.add("loop");
        self.add(self);
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        Throwable thrown = onSmallStack(() -> input.hand(store, input.shape.wrap(self)));

        assertContainsItselfAndRejected(thrown, input.field + input.shape.suffix);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void cycleBelowPlainNestingNamesTheContainerThatContainsItself() {
        seed();
        List<Object> self = new ArrayList<>();
        self.add(self);
        Map<String, Object> output = Map.of("a", List.of(Map.of("b", self)));
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(Commit.builder(WF, NEW, "s").output(output).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("output.a[0].b");
                    assertThat(e.getMessage()).isEqualTo("output.a[0].b: contains itself, which JSON cannot hold");
                });
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ at the limit

    @ParameterizedTest
    @EnumSource(Input.class)
    void valueNestedExactlyToTheLimitIsStoredAndReadsBackEqual(Input input) {
        seed();
        Object value = input.nested(LIMIT);

        input.hand(store, value);

        assertThat(depth(value)).isEqualTo(LIMIT);
        assertThat(input.readBack(store)).isEqualTo(value);
    }

    @Test
    void checkpointAndResumeDataAtTheLimitReachTheResumeCommandTwoLevelsDeeper() {
        Object checkpoint = nestedLists(LIMIT);
        Object resumeData = nestedLists(LIMIT);
        commit(store, Command.suspend("wait", checkpoint, "continue"));

        store.resolveBlock(WF, NEW, Resolution.resume(resumeData));

        Map<?, ?> input = (Map<?, ?>) ((Command.Invoke) leased(store, NEW)).input();
        assertThat(input.get("checkpoint")).isEqualTo(checkpoint);
        assertThat(input.get("resumeData")).isEqualTo(resumeData);
    }

    // ------------------------------------------------------------------ helpers

    private void seed() {
        store.commit(Commit.builder(WF, EXISTING, "s0")
                .output(Map.of("a", 1))
                .event(AuditEvent.of("created", Map.of("n", 1)))
                .command(Command.emit("created", Map.of("n", 1)))
                .build());
        store.commit(Commit.builder(WF, SUSPENDED, "s0")
                .command(Command.suspend("waiting", Map.of("page", 3)))
                .build());
    }

    private static void commit(PgRunStore store, AuditEvent event) {
        store.commit(Commit.builder(WF, NEW, "s").event(event).build());
    }

    private static void commit(PgRunStore store, Command command) {
        store.commit(Commit.builder(WF, NEW, "s").command(command).build());
    }

    private static LlmTrace trace(Object input, Object output) {
        return new LlmTrace("model", 1, 2, 3.0, "sha256:in", "sha256:out", input, output);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    /** The command of the one entry of {@code runId} a lease hands out. */
    private static Command leased(PgRunStore store, String runId) {
        List<OutboxEntry> entries = store.leaseOutbox("reader", 100).stream()
                .filter(entry -> entry.runId().equals(runId))
                .toList();
        assertThat(entries).hasSize(1);
        return entries.get(0).command();
    }

    /** Levels of lists and maps down the first member of each, the value itself included. */
    private static int depth(Object value) {
        int depth = 0;
        Object current = value;
        while (current instanceof List<?> || current instanceof Map<?, ?>) {
            depth++;
            current = current instanceof List<?> list ? list.get(0) : ((Map<?, ?>) current).values().iterator().next();
        }
        return depth;
    }

    private static Throwable thrownBy(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void assertDeepAndRejected(Throwable thrown, Input input) {
        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(input.deepField());
            assertThat(e.getMessage()).isEqualTo(input.deepField() + ": … nests deeper than 1000 levels");
        });
    }

    private static void assertContainsItselfAndRejected(Throwable thrown, String field) {
        assertThat(thrown).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(field + ": contains itself, which JSON cannot hold");
        });
    }
}
