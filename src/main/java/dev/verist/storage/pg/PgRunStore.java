package dev.verist.storage.pg;

import dev.verist.storage.ConflictException;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunStore;
import dev.verist.storage.StorageException;
import dev.verist.storage.pg.internal.Stores;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The PostgreSQL run store: {@link RunStore} plus the review/suspend gates and the transactional outbox.
 * Thread-safe; create one per application. Every timestamp it writes, and every lease expiry it decides,
 * uses the database clock ({@code now()} of the call's transaction).
 */
public interface PgRunStore extends RunStore, AutoCloseable {

    /** The lease {@link #leaseOutbox(String, int)} takes: 30 seconds, as the reference dispatcher. */
    Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /**
     * A store for Java SE over a connection pool: plain JDBC, each call on a connection of its own and in its
     * own transaction (a call that is one statement commits alone). Nothing is built up front and the database
     * is not needed until the first call; the pool stays the caller's. The schema must exist (see
     * {@link PgSchema}).
     */
    static PgRunStore create(DataSource dataSource) {
        return Stores.overDataSource(dataSource);
    }

    /**
     * A store for Java SE over an application's {@code RESOURCE_LOCAL} factory whose unit includes the
     * verist entities ({@code META-INF/verist-orm.xml}); each call runs in its own transaction. The factory
     * stays the caller's: {@link #close()} does not close it.
     *
     * @throws StorageException not {@linkplain StorageException#retryable() retryable}, when the unit does not map
     *     the verist entities
     */
    static PgRunStore create(EntityManagerFactory emf) {
        return Stores.overEntityManagerFactory(emf);
    }

    /** The run's active block, or empty when none is active (also for a run that does not exist). */
    Optional<Block> getBlock(String workflowId, String runId);

    /**
     * Resolves the run's active block. A review approval releases the step's deferred commands to pending,
     * a rejection drops them; a resume enqueues an invoke of the resume step, with step id
     * {@code resume:<blockId>}, carrying the checkpoint and {@code resumeData}.
     *
     * @return the resolved block, or empty when no block is active (so repeating a resolve is harmless)
     * @throws InvalidRequestException when the resolution's kind does not fit the active block
     */
    Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution);

    /**
     * Resolves the run's active block as {@link #resolveBlock(String, String, Resolution)} does, and records who did:
     * in the same transaction, an audit event of type {@value #BLOCK_RESOLVED_EVENT} on the block's step, with the
     * payload {@code {blockId, blockType, resolution, resolvedBy}} and the database time of the resolution. Nothing
     * is recorded when no block is active.
     *
     * @param resolvedBy the person or system that resolved it, such as the operator's login name
     * @throws InvalidRequestException for a missing or blank {@code resolvedBy}, before anything is written
     */
    Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution, String resolvedBy);

    /**
     * Every block of a run, oldest first: the active one, if any, last, and before it the resolved ones with their
     * resolutions. Empty for a run without blocks, or one that does not exist. One statement.
     */
    List<RecordedBlock> blocks(String workflowId, String runId);

    /** The audit event type {@link #resolveBlock(String, String, Resolution, String)} records. */
    String BLOCK_RESOLVED_EVENT = "verist.block-resolved";

    /**
     * Active blocks across runs, the newest first: what waits for a person. One page of at most {@code limit},
     * after the block {@code beforeId} (exclusive; null for the first page).
     *
     * @param workflowId only this workflow's blocks; null for every workflow
     * @param type       only blocks of this type; null for both
     * @throws InvalidRequestException for a blank {@code workflowId}, a {@code beforeId} that is not a block id, or
     *                                 a {@code limit} below 1
     */
    List<Block> activeBlocks(String workflowId, BlockType type, String beforeId, int limit);

    /**
     * {@link #activeBlocks} with each block's run state, read in the same statement: an inbox page in one round
     * trip rather than a {@link #load} per block. Same order, paging (by block id), filters and checks.
     *
     * @throws InvalidRequestException as {@link #activeBlocks}
     */
    List<WaitingRun> waitingRuns(String workflowId, BlockType type, String beforeId, int limit);

    /**
     * The outbox entries of one run in any status, oldest first: one page of at most {@code limit}, after the
     * entry {@code afterId} (exclusive; null for the first page). Reads no more than the outbox holds: it is a scan
     * of the table, which {@link #purgeDispatched} keeps short; no index is added for it, since every index on the
     * outbox is written again by each lease and finalisation.
     *
     * @throws InvalidRequestException for a bad id, an {@code afterId} that is not an outbox id, or a {@code limit}
     *                                 below 1
     */
    List<OutboxEntry> outbox(String workflowId, String runId, String afterId, int limit);

    /** Leases up to {@code limit} entries for {@link #DEFAULT_LEASE}; see {@link #leaseOutbox(String, int, Duration)}. */
    List<OutboxEntry> leaseOutbox(String leaseOwner, int limit);

    /**
     * Leases up to {@code limit} pending entries, and entries whose lease has expired (whoever held them),
     * oldest first ({@code created_at, id}). Rows locked by a concurrent leaser are skipped, so concurrent
     * dispatchers get disjoint batches.
     *
     * @return the leased entries in that order; empty when nothing is due
     */
    List<OutboxEntry> leaseOutbox(String leaseOwner, int limit, Duration leaseDuration);

    /**
     * Marks a leased entry dispatched. Works after the lease expired as long as nobody re-leased it.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} when the entry is not leased by {@code leaseOwner}
     */
    void markDispatched(String outboxId, String leaseOwner);

    /**
     * Marks leased entries dispatched in one statement: all of them, or none when any is not (or no longer)
     * leased by {@code leaseOwner}. An empty collection does nothing.
     *
     * @param outboxIds ids as {@link OutboxEntry#id()} gives them, each at most once
     * @throws ConflictException {@code LEASE_MISMATCH} when any entry is not leased by {@code leaseOwner}
     */
    void markDispatched(Collection<String> outboxIds, String leaseOwner);

    /**
     * Marks a leased entry failed (terminal until an operator {@linkplain #requeue requeues} it) and records
     * {@code error}, as the reference adapter does: no retry, no fencing beyond the owner name.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} when the entry is not leased by {@code leaseOwner}
     */
    void markFailed(String outboxId, String leaseOwner, String error);

    // ------------------------------------------------------------------------------------- fenced dispatch

    /**
     * Marks a leased entry dispatched, fenced by its lease: only while {@code leased} is still the entry's current
     * lease (same {@link OutboxEntry#leaseToken()}), even after the lease expired as long as nobody leased the
     * entry again. A holder whose lease was taken over, by anyone, the same owner name included, changes nothing.
     *
     * @param leased the entry as {@link #leaseOutbox} returned it
     * @throws ConflictException {@code LEASE_MISMATCH} when that lease is no longer the entry's (or was never one)
     */
    void markDispatched(OutboxEntry leased);

    /**
     * Marks leased entries dispatched in one statement, each fenced as {@link #markDispatched(OutboxEntry)}: all of
     * them, or none when any lease is no longer current. An empty collection does nothing.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} when any of the leases is no longer current
     * @throws InvalidRequestException for a null collection, a null entry or an entry given twice
     */
    void markDispatched(Collection<OutboxEntry> leased);

    /**
     * Records a failed attempt of a leased entry, fenced as {@link #markDispatched(OutboxEntry)}: its attempts grow
     * by one and {@code error} is kept; then it is pending again, due after {@code policy}'s backoff for that many
     * failures (by the database clock), or a dead letter ({@link OutboxStatus#FAILED}) once the attempts reach
     * {@link RetryPolicy#maxAttempts()}. Either way the lease is released.
     *
     * @return the entry's new status: {@code PENDING} or {@code FAILED}
     * @throws ConflictException {@code LEASE_MISMATCH} when that lease is no longer the entry's
     * @throws InvalidRequestException for a null or out-of-range policy, naming {@code policy.<field>}
     */
    OutboxStatus markFailed(OutboxEntry leased, String error, RetryPolicy policy);

    /**
     * Gives a leased entry back without counting an attempt, fenced as {@link #markDispatched(OutboxEntry)}: it is
     * pending again, with its attempts and last error as they were, due after {@code delay} (by the database
     * clock; zero: due now, in its place among the oldest). A dispatcher releases what it leased but will not
     * carry out: entries not started when it stops, commands it has no handler for.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} when that lease is no longer the entry's
     * @throws InvalidRequestException for a null or negative {@code delay}
     */
    void release(OutboxEntry leased, Duration delay);

    // ------------------------------------------------------------------------------------- operator tools

    /**
     * Entries of one status, oldest first ({@code created_at, id}), a page at a time: pass the last id of a page
     * as {@code afterId} for the next; null starts from the beginning. An {@code afterId} that no longer exists, or
     * no longer has that status, pages on from the ids above it.
     */
    List<OutboxEntry> outbox(OutboxStatus status, String afterId, int limit);

    /**
     * Makes a dead letter pending again: attempts back to 0, due now, its last error kept.
     *
     * @return false when the entry is not {@code FAILED}, does not exist, or is locked by a concurrent call
     */
    boolean requeue(String outboxId);

    /**
     * Requeues every dead letter of a workflow, as {@link #requeue} does, skipping rows a concurrent call holds.
     *
     * @param workflowId the workflow, or null for all of them
     * @return how many entries were requeued
     */
    int requeueFailed(String workflowId);

    /**
     * Deletes up to {@code limit} dispatched entries finished strictly before {@code dispatchedBefore}, the oldest
     * first, skipping rows a concurrent call holds; call it again until it returns less than {@code limit}.
     *
     * @return how many entries were deleted
     */
    int purgeDispatched(Instant dispatchedBefore, int limit);

    /** Counts by status, the age of the oldest due entry, expired leases and waiting retries. */
    OutboxStats outboxStats();

    /** Releases what the store holds of its own; the pool or factory it was given stays open. */
    @Override
    void close();
}
