package dev.verist.storage.pg;

import dev.verist.storage.ConflictException;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunStore;
import dev.verist.storage.StorageException;
import dev.verist.storage.pg.internal.Stores;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
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
     * A store for Java SE over a connection pool: it builds a private Hibernate {@code EntityManagerFactory}
     * on the data source and runs each call in its own transaction. {@link #close()} releases that factory
     * (the pool stays the caller's). The schema must exist (see {@link PgSchema}).
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
     * Marks a leased entry failed (terminal; recovery is manual) and records {@code error}.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} when the entry is not leased by {@code leaseOwner}
     */
    void markFailed(String outboxId, String leaseOwner, String error);

    /** Releases what {@link #create(DataSource)} built; a no-op for stores over someone else's factory. */
    @Override
    void close();
}
