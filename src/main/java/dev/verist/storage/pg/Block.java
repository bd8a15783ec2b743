package dev.verist.storage.pg;

import java.time.Instant;

/**
 * A run's active gate.
 *
 * @param id         decimal id of the block row
 * @param stepId     the step that returned the blocking command
 * @param reason     why the run waits
 * @param payload    review context or suspend checkpoint, as a JSON tree, or null
 * @param resumeStep for a suspend, the step invoked on resume; null for a review
 */
public record Block(String id, String workflowId, String runId, String stepId, BlockType type,
                    String reason, Object payload, String resumeStep, Instant createdAt) {
}
