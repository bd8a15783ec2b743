package dev.verist.storage.pg.internal;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.LlmTrace;
import dev.verist.storage.internal.CanonicalJson;
import dev.verist.storage.internal.Checks;
import dev.verist.storage.internal.CommandJson;
import dev.verist.storage.internal.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A commit checked against the contract and turned into the bind values of {@link CommitSql}: every JSON
 * value serialised once, dedupe keys computed. Building one touches no database, so bad input is rejected
 * before anything is written.
 */
final class PreparedCommit {

    final String workflowId;
    final String runId;
    final String stepId;
    final int expectedVersion;
    /** The caller's commit id, or null. */
    final String commitId;
    final String output;
    final String[] eventTypes;
    final String[] eventPayloads;
    final String[] eventTraces;
    /** The blocking command's wire type, or null when the commit has none. */
    final String blockType;
    final String blockReason;
    final String blockPayload;
    final String blockResumeStep;
    final String outboxStatus;
    final String[] commands;
    final String[] dedupeKeys;

    private PreparedCommit(Commit commit, Map<String, Object> output, List<AuditEvent> events,
                           List<Map<String, Object>> commandTrees) {
        this.workflowId = commit.workflowId();
        this.runId = commit.runId();
        this.stepId = commit.stepId();
        this.expectedVersion = commit.expectedVersion();
        this.commitId = commit.commitId();
        this.output = JsonValues.write(output);

        int eventCount = events.size();
        eventTypes = new String[eventCount];
        eventPayloads = new String[eventCount];
        eventTraces = new String[eventCount];
        for (int i = 0; i < eventCount; i++) {
            AuditEvent event = events.get(i);
            String path = "events[" + i + "]";
            eventTypes[i] = Checks.text(event.type(), path + ".type");
            eventPayloads[i] = JsonValues.writeNullable(JsonValues.storableObject(event.payload(), path + ".payload"));
            eventTraces[i] = event.llmTrace() == null ? null
                    : JsonValues.write(traceJson(event.llmTrace(), path + ".llmTrace"));
        }

        Command blocking = null;
        int blockingIndex = -1;
        List<Command> all = commit.commands();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).blocking()) {
                if (blocking != null) {
                    throw new InvalidRequestException("commands", "step returned " + countBlocking(all)
                            + " blocking commands (review/suspend); at most one is allowed");
                }
                blocking = all.get(i);
                blockingIndex = i;
            }
        }
        if (blocking instanceof Command.Review review) {
            blockType = "review";
            blockReason = review.reason();
            blockPayload = JsonValues.writeNullable(commandTrees.get(blockingIndex).get("payload"));
            blockResumeStep = null;
        } else if (blocking instanceof Command.Suspend suspend) {
            blockType = "suspend";
            blockReason = suspend.reason();
            blockPayload = JsonValues.writeNullable(commandTrees.get(blockingIndex).get("checkpoint"));
            blockResumeStep = suspend.resumeStep() == null ? stepId : suspend.resumeStep();
        } else {
            blockType = null;
            blockReason = null;
            blockPayload = null;
            blockResumeStep = null;
        }
        outboxStatus = blocking instanceof Command.Review ? "deferred" : "pending";

        // A suspend discards its siblings: they were checked above but are not written.
        int written = blocking instanceof Command.Suspend ? 0 : all.size() - (blocking == null ? 0 : 1);
        commands = new String[written];
        dedupeKeys = new String[written];
        Set<String> seen = new HashSet<>(written * 2);
        int n = 0;
        for (int i = 0; i < all.size() && n < written; i++) {
            if (i == blockingIndex) {
                continue;
            }
            Map<String, Object> tree = commandTrees.get(i);
            commands[n] = JsonValues.write(tree);
            dedupeKeys[n] = CanonicalJson.dedupeKey(workflowId, runId, stepId, tree);
            seen.add(dedupeKeys[n]);
            n++;
        }
        if (seen.size() < written) {
            throw new InvalidRequestException("commands", "step returned duplicate commands (" + written
                    + " total, " + seen.size() + " unique); deduplicate in the step or include a distinguishing"
                    + " field in each command");
        }
    }

    /** Checks {@code commit} and prepares its writes. */
    static PreparedCommit of(Commit commit) {
        Checks.present(commit, "commit");
        Checks.id(commit.workflowId(), "workflowId");
        Checks.id(commit.runId(), "runId");
        Checks.id(commit.stepId(), "stepId");
        if (commit.expectedVersion() < 0) {
            throw new InvalidRequestException("expectedVersion", "is " + commit.expectedVersion()
                    + "; it must be 0 to create the run or the run's current version");
        }
        if (commit.commitId() != null) {
            Checks.id(commit.commitId(), "commitId", Commit.MAX_COMMIT_ID_LENGTH);
        }
        Map<String, Object> output = JsonValues.storableObject(Checks.present(commit.output(), "output"), "output");
        List<AuditEvent> events = commit.events();
        for (int i = 0; i < events.size(); i++) {
            Checks.present(events.get(i), "events[" + i + "]");
        }
        List<Command> commands = commit.commands();
        List<Map<String, Object>> trees = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            trees.add(CommandJson.storable(commands.get(i), "commands[" + i + "]"));
        }
        return new PreparedCommit(commit, output, events, trees);
    }

    /** True for {@code expectedVersion 0}. */
    boolean creates() {
        return expectedVersion == 0;
    }

    /**
     * True when the commit's statement cannot write part of itself: without a block or commands nothing can
     * conflict after the state row is written, so the statement needs no transaction to roll back.
     */
    boolean writesAtomicallyAlone() {
        return blockType == null && commands.length == 0;
    }

    /** {@code workflowId/runId}, for messages. */
    String run() {
        return workflowId + "/" + runId;
    }

    private static long countBlocking(List<Command> commands) {
        return commands.stream().filter(Command::blocking).count();
    }

    // The trace as the kernel stores it; a null input or output is left out (hash-only mode).
    private static Map<String, Object> traceJson(LlmTrace trace, String path) {
        Checks.text(trace.model(), path + ".model");
        Checks.text(trace.inputHash(), path + ".inputHash");
        Checks.text(trace.outputHash(), path + ".outputHash");
        nonNegative(trace.promptTokens(), path + ".promptTokens");
        nonNegative(trace.completionTokens(), path + ".completionTokens");
        if (!(trace.durationMs() >= 0) || Double.isInfinite(trace.durationMs())) {
            throw new InvalidRequestException(path + ".durationMs", "is " + trace.durationMs()
                    + "; it must be a finite number of at least 0");
        }
        Map<String, Object> json = new LinkedHashMap<>(16);
        json.put("model", trace.model());
        json.put("promptTokens", trace.promptTokens());
        json.put("completionTokens", trace.completionTokens());
        json.put("durationMs", trace.durationMs());
        json.put("inputHash", trace.inputHash());
        json.put("outputHash", trace.outputHash());
        if (trace.input() != null) {
            json.put("input", JsonValues.storable(trace.input(), path + ".input"));
        }
        if (trace.output() != null) {
            json.put("output", JsonValues.storable(trace.output(), path + ".output"));
        }
        return json;
    }

    private static void nonNegative(int value, String path) {
        if (value < 0) {
            throw new InvalidRequestException(path, "is " + value + "; it must be at least 0");
        }
    }
}
