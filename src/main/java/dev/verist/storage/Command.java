package dev.verist.storage;

import java.util.Collections;
import java.util.List;

/**
 * What a step asks the runtime to do next. Commands are data: the store writes them atomically with the
 * step's state, blocking ones ({@code review}, {@code suspend}) as the run's block and the others as
 * outbox rows for a dispatcher. Values ({@code input}, {@code payload}, {@code checkpoint}) are JSON trees
 * (maps, lists, strings, numbers, booleans, null) or objects Jackson converts to one.
 */
public sealed interface Command permits Command.Invoke, Command.Fanout, Command.Review, Command.Emit, Command.Suspend {

    /** The wire type: {@code invoke}, {@code fanout}, {@code review}, {@code emit} or {@code suspend}. */
    String type();

    /** True for {@code review} and {@code suspend}, which stop the run until resolved. */
    default boolean blocking() {
        return false;
    }

    /** Run {@code step} with {@code input} (null is written as JSON null). */
    record Invoke(String step, Object input) implements Command {
        @Override
        public String type() {
            return "invoke";
        }
    }

    /** Run {@code step} once per element of {@code inputs}. */
    record Fanout(String step, List<Object> inputs) implements Command {
        @Override
        public String type() {
            return "fanout";
        }
    }

    /** Wait for a human decision; sibling commands are deferred until it is approved. Null payload = absent. */
    record Review(String reason, Object payload) implements Command {
        @Override
        public String type() {
            return "review";
        }

        @Override
        public boolean blocking() {
            return true;
        }
    }

    /** Publish {@code payload} on {@code topic}. */
    record Emit(String topic, Object payload) implements Command {
        @Override
        public String type() {
            return "emit";
        }
    }

    /**
     * Stop until resumed with outside data; sibling commands are discarded. On resume, {@code resumeStep}
     * (or, when null, the suspending step) is invoked with the checkpoint and the resume data.
     */
    record Suspend(String reason, Object checkpoint, String resumeStep) implements Command {
        @Override
        public String type() {
            return "suspend";
        }

        @Override
        public boolean blocking() {
            return true;
        }
    }

    /** An {@code invoke} command. */
    static Invoke invoke(String step, Object input) {
        return new Invoke(step, input);
    }

    /** A {@code fanout} command. */
    static Fanout fanout(String step, List<?> inputs) {
        return new Fanout(step, inputs == null ? null : Collections.unmodifiableList(inputs));
    }

    /** A {@code review} command without payload. */
    static Review review(String reason) {
        return new Review(reason, null);
    }

    /** A {@code review} command with context for the reviewer. */
    static Review review(String reason, Object payload) {
        return new Review(reason, payload);
    }

    /** An {@code emit} command. */
    static Emit emit(String topic, Object payload) {
        return new Emit(topic, payload);
    }

    /** A {@code suspend} command resumed at the suspending step. */
    static Suspend suspend(String reason, Object checkpoint) {
        return new Suspend(reason, checkpoint, null);
    }

    /** A {@code suspend} command resumed at {@code resumeStep}. */
    static Suspend suspend(String reason, Object checkpoint, String resumeStep) {
        return new Suspend(reason, checkpoint, resumeStep);
    }
}
