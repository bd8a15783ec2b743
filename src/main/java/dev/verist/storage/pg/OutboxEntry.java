package dev.verist.storage.pg;

import dev.verist.storage.Command;
import java.time.Instant;

/**
 * An outbox row: for a dispatcher, the lease it holds; for an operator, an entry to look at. Pass a leased entry as
 * it is to {@link PgRunStore#markDispatched(OutboxEntry)} or {@link PgRunStore#markFailed(OutboxEntry, String,
 * RetryPolicy)}: its {@link #leaseToken()} is what fences the call.
 *
 * @param id             decimal id of the row
 * @param stepId         the producing step, or {@code resume:<blockId>} for a resume command
 * @param dedupeKey      64 lowercase hex characters; use it as the queue job id so that redelivery is harmless
 * @param lastError      the error of the last failed attempt, or null
 * @param attempts       failed attempts recorded so far (0 for a fresh entry; a requeue resets it)
 * @param leaseOwner     the holder of the lease; null unless {@code status} is {@code LEASED}
 * @param leaseToken     the fencing token of this lease, unique per lease and greater than 0; 0 unless leased
 * @param leaseExpiresAt when the lease expires (database clock); null unless leased
 * @param nextAttemptAt  when a pending entry whose attempt failed is due again; null when due now
 */
public record OutboxEntry(String id, String workflowId, String runId, String stepId, Command command,
                          String dedupeKey, OutboxStatus status, String lastError, Instant createdAt,
                          int attempts, String leaseOwner, long leaseToken, Instant leaseExpiresAt,
                          Instant nextAttemptAt) {

    /** An entry without lease or retry details: no attempts, not leased, due now. */
    public OutboxEntry(String id, String workflowId, String runId, String stepId, Command command, String dedupeKey,
                       OutboxStatus status, String lastError, Instant createdAt) {
        this(id, workflowId, runId, stepId, command, dedupeKey, status, lastError, createdAt, 0, null, 0, null, null);
    }
}
