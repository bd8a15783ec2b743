package dev.verist.storage.pg;

import dev.verist.storage.Command;
import java.time.Instant;

/**
 * A leased outbox row for a dispatcher to carry out.
 *
 * @param id        decimal id of the row; pass it to {@code markDispatched} or {@code markFailed}
 * @param stepId    the producing step, or {@code resume:<blockId>} for a resume command
 * @param dedupeKey 64 lowercase hex characters; use it as the queue job id so that redelivery is harmless
 * @param lastError the error of an earlier {@code markFailed}, or null
 */
public record OutboxEntry(String id, String workflowId, String runId, String stepId, Command command,
                          String dedupeKey, OutboxStatus status, String lastError, Instant createdAt) {
}
