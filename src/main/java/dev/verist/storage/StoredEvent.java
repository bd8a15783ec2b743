package dev.verist.storage;

import java.time.Instant;
import java.util.Map;

/**
 * An audit event as stored: its id (the decimal of a database sequence, increasing in commit order),
 * the step that committed it and the database time of that commit.
 */
public record StoredEvent(String id, String workflowId, String runId, String stepId, String type,
                          Map<String, Object> payload, LlmTrace llmTrace, Instant createdAt) {
}
