package dev.verist.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A step's result, written atomically by {@link RunStore#commit}.
 *
 * @param workflowId      the workflow, non-blank
 * @param runId           the run, non-blank
 * @param stepId          the step that produced the result; written on every event, block and outbox row
 * @param expectedVersion 0 to create the run, otherwise the version the step read
 * @param output          partial state: the initial {@code computed} on create, shallow-merged otherwise
 * @param events          audit events, written in list order
 * @param commands        commands; at most one blocking ({@code review} or {@code suspend})
 * @param commitId        null, or the caller's id of this commit, unique per run (at most
 *                        {@value #MAX_COMMIT_ID_LENGTH} chars): a commit whose id has already landed on the run
 *                        writes nothing again and returns that landing's result, so a call that failed with a
 *                        lost connection can be repeated safely (see {@link RunStore#commit})
 */
public record Commit(String workflowId, String runId, String stepId, int expectedVersion,
                     Map<String, Object> output, List<AuditEvent> events, List<Command> commands,
                     String commitId) {

    /** Longest {@link #commitId()} accepted, in Java chars. */
    public static final int MAX_COMMIT_ID_LENGTH = 200;

    /** Null event and command lists mean none. */
    public Commit {
        events = events == null ? List.of() : events;
        commands = commands == null ? List.of() : commands;
    }

    /** A commit without a {@link #commitId()}. */
    public Commit(String workflowId, String runId, String stepId, int expectedVersion,
                  Map<String, Object> output, List<AuditEvent> events, List<Command> commands) {
        this(workflowId, runId, stepId, expectedVersion, output, events, commands, null);
    }

    /** This commit with {@code commitId}; for a caller that gives an id to a commit it did not build. */
    public Commit withCommitId(String commitId) {
        return new Commit(workflowId, runId, stepId, expectedVersion, output, events, commands, commitId);
    }

    /** Starts a commit of a new run ({@code expectedVersion 0}) with empty output, events and commands. */
    public static Builder builder(String workflowId, String runId, String stepId) {
        return new Builder(workflowId, runId, stepId);
    }

    /** Builds a {@link Commit}; not thread-safe. */
    public static final class Builder {
        private final String workflowId;
        private final String runId;
        private final String stepId;
        private int expectedVersion;
        private Map<String, Object> output = Map.of();
        private final List<AuditEvent> events = new ArrayList<>();
        private final List<Command> commands = new ArrayList<>();
        private String commitId;

        private Builder(String workflowId, String runId, String stepId) {
            this.workflowId = workflowId;
            this.runId = runId;
            this.stepId = stepId;
        }

        /** The version the step read; 0 (the default) creates the run. */
        public Builder expectedVersion(int expectedVersion) {
            this.expectedVersion = expectedVersion;
            return this;
        }

        /** The step's output; a null map is rejected by the store. */
        public Builder output(Map<String, ?> output) {
            this.output = output == null ? null : Collections.unmodifiableMap(output);
            return this;
        }

        /** Appends one event. */
        public Builder event(AuditEvent event) {
            events.add(event);
            return this;
        }

        /** Appends events, in order. */
        public Builder events(List<AuditEvent> events) {
            this.events.addAll(events);
            return this;
        }

        /** Appends one command. */
        public Builder command(Command command) {
            commands.add(command);
            return this;
        }

        /** Appends commands, in order. */
        public Builder commands(List<? extends Command> commands) {
            this.commands.addAll(commands);
            return this;
        }

        /**
         * The caller's id of this commit, unique per run (for example the step's attempt id, or a UUID chosen
         * once before the first try): repeating the commit with it after a lost connection returns the first
         * landing's result instead of a conflict. Null (the default) means none.
         */
        public Builder commitId(String commitId) {
            this.commitId = commitId;
            return this;
        }

        /** The commit; later changes to this builder do not affect it. */
        public Commit build() {
            return new Commit(workflowId, runId, stepId, expectedVersion, output,
                    Collections.unmodifiableList(new ArrayList<>(events)),
                    Collections.unmodifiableList(new ArrayList<>(commands)), commitId);
        }
    }
}
