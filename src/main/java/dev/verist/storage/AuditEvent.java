package dev.verist.storage;

import java.util.Collections;
import java.util.Map;

/**
 * An entry for the run's audit trail, written by {@link RunStore#commit} with the committing step's id.
 *
 * @param type     what happened, non-blank
 * @param payload  details as a JSON object, or null (stored as SQL NULL)
 * @param llmTrace the LLM call behind the event, or null
 */
public record AuditEvent(String type, Map<String, Object> payload, LlmTrace llmTrace) {

    /** An event without payload or trace. */
    public static AuditEvent of(String type) {
        return new AuditEvent(type, null, null);
    }

    /** An event with a payload and no trace. */
    public static AuditEvent of(String type, Map<String, ?> payload) {
        return new AuditEvent(type, payload == null ? null : Collections.unmodifiableMap(payload), null);
    }

    /** This event with the given LLM trace. */
    public AuditEvent withLlmTrace(LlmTrace trace) {
        return new AuditEvent(type, payload, trace);
    }
}
