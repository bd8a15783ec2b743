package dev.verist.storage;

import dev.verist.storage.internal.CanonicalJson;
import dev.verist.storage.internal.Checks;
import dev.verist.storage.internal.CommandJson;

/**
 * The outbox's deterministic dedupe keys, byte-identical to the TypeScript kernel's: the lowercase hex
 * SHA-256 of the canonical JSON (sorted keys, JavaScript number formatting) of
 * {@code {workflowId, runId, stepId, command}}. Identical commands from one step get one key on purpose.
 */
public final class DedupeKeys {

    private DedupeKeys() {
    }

    /**
     * The dedupe key of a command, 64 lowercase hex characters. Values are hashed as JavaScript would see
     * them: numbers as doubles, records and POJOs as the JSON Jackson makes of them.
     *
     * @throws InvalidRequestException when an argument is null, or a value cannot be converted to JSON, nests
     *     deeper than 1,000 levels or contains itself
     */
    public static String of(String workflowId, String runId, String stepId, Command command) {
        Checks.present(workflowId, "workflowId");
        Checks.present(runId, "runId");
        Checks.present(stepId, "stepId");
        return CanonicalJson.dedupeKey(workflowId, runId, stepId, CommandJson.hashable(command, "command"));
    }
}
