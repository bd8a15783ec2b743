package dev.verist.storage.pg.cdi;

import dev.verist.storage.Commit;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.RecordedBlock;
import dev.verist.storage.pg.ResolvedBlock;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.WaitingRun;
import dev.verist.storage.pg.internal.SchemaCheck;
import dev.verist.storage.pg.internal.Stores;
import dev.verist.storage.pg.internal.WakeUps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The store as a CDI bean: {@code @Inject RunStore} or {@code @Inject PgRunStore}. Every method joins the
 * caller's JTA transaction ({@code REQUIRED}), or runs in its own when there is none; a
 * {@link dev.verist.storage.StorageException} marks the caller's transaction rollback-only, so the
 * application's own writes never commit without the store's. It works on the persistence unit of the
 * {@link Verist} entity manager.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class ContainerPgRunStore implements PgRunStore {

    private final PgRunStore store;
    private final SchemaCheck schema;
    private final Event<OutboxWritten> outboxWritten;

    /** For the container's client proxy only: a proxy delegates every call to the bean CDI constructed. */
    protected ContainerPgRunStore() {
        store = null;
        schema = null;
        outboxWritten = null;
    }

    /**
     * The bean, on the unit of the application's {@link Verist} entity manager.
     *
     * @throws IllegalStateException when the application produces no such entity manager, or several
     */
    @Inject
    ContainerPgRunStore(@Verist Instance<EntityManager> entityManagers, Event<OutboxWritten> outboxWritten) {
        if (!entityManagers.isResolvable()) {
            throw new IllegalStateException("verist-storage-pg needs the EntityManager of a persistence unit that maps"
                    + " the verist entities: add a producer such as"
                    + " '@Produces @Verist @PersistenceContext(unitName = \"verist\") EntityManager em;'"
                    + (entityManagers.isAmbiguous() ? " (more than one @Verist EntityManager is produced now)" : ""));
        }
        Supplier<EntityManagerFactory> unit = () -> entityManagers.get().getEntityManagerFactory();
        store = Stores.inJtaTransactions(unit);
        schema = SchemaCheck.inJtaTransactions(unit);
        this.outboxWritten = outboxWritten;
    }

    @Override
    public Optional<RunState> load(String workflowId, String runId) {
        return store.load(workflowId, runId);
    }

    @Override
    public RunState commit(Commit commit) {
        RunState state = store.commit(commit);
        if (WakeUps.after(commit)) {
            outboxWritten.fire(OutboxWritten.INSTANCE);
        }
        return state;
    }

    @Override
    public RunState setOverlay(String workflowId, String runId, Map<String, ?> overlay) {
        return store.setOverlay(workflowId, runId, overlay);
    }

    @Override
    public List<StoredEvent> events(String workflowId, String runId) {
        return store.events(workflowId, runId);
    }

    @Override
    public List<StoredEvent> events(String workflowId, String runId, String afterId, int limit) {
        return store.events(workflowId, runId, afterId, limit);
    }

    @Override
    public Optional<Block> getBlock(String workflowId, String runId) {
        return store.getBlock(workflowId, runId);
    }

    @Override
    public Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution) {
        return afterResolve(store.resolveBlock(workflowId, runId, resolution), resolution);
    }

    @Override
    public Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution,
                                                String resolvedBy) {
        return afterResolve(store.resolveBlock(workflowId, runId, resolution, resolvedBy), resolution);
    }

    private Optional<ResolvedBlock> afterResolve(Optional<ResolvedBlock> resolved, Resolution resolution) {
        if (resolved.isPresent() && WakeUps.after(resolution)) {
            outboxWritten.fire(OutboxWritten.INSTANCE);
        }
        return resolved;
    }

    @Override
    public List<RecordedBlock> blocks(String workflowId, String runId) {
        return store.blocks(workflowId, runId);
    }

    @Override
    public List<Block> activeBlocks(String workflowId, BlockType type, String beforeId, int limit) {
        return store.activeBlocks(workflowId, type, beforeId, limit);
    }

    @Override
    public List<WaitingRun> waitingRuns(String workflowId, BlockType type, String beforeId, int limit) {
        return store.waitingRuns(workflowId, type, beforeId, limit);
    }

    @Override
    public List<OutboxEntry> outbox(String workflowId, String runId, String afterId, int limit) {
        return store.outbox(workflowId, runId, afterId, limit);
    }

    @Override
    public List<OutboxEntry> leaseOutbox(String leaseOwner, int limit) {
        return store.leaseOutbox(leaseOwner, limit);
    }

    @Override
    public List<OutboxEntry> leaseOutbox(String leaseOwner, int limit, Duration leaseDuration) {
        return store.leaseOutbox(leaseOwner, limit, leaseDuration);
    }

    @Override
    public void markDispatched(String outboxId, String leaseOwner) {
        store.markDispatched(outboxId, leaseOwner);
    }

    @Override
    public void markDispatched(Collection<String> outboxIds, String leaseOwner) {
        store.markDispatched(outboxIds, leaseOwner);
    }

    @Override
    public void markFailed(String outboxId, String leaseOwner, String error) {
        store.markFailed(outboxId, leaseOwner, error);
    }

    @Override
    public void markDispatched(OutboxEntry leased) {
        store.markDispatched(leased);
    }

    @Override
    public void markDispatched(Collection<OutboxEntry> leased) {
        store.markDispatched(leased);
    }

    @Override
    public OutboxStatus markFailed(OutboxEntry leased, String error, RetryPolicy policy) {
        return store.markFailed(leased, error, policy);
    }

    @Override
    public void release(OutboxEntry leased, Duration delay) {
        store.release(leased, delay);
    }

    @Override
    public List<OutboxEntry> outbox(OutboxStatus status, String afterId, int limit) {
        return store.outbox(status, afterId, limit);
    }

    @Override
    public boolean requeue(String outboxId) {
        boolean requeued = store.requeue(outboxId);
        if (requeued) {
            outboxWritten.fire(OutboxWritten.INSTANCE);
        }
        return requeued;
    }

    @Override
    public int requeueFailed(String workflowId) {
        int requeued = store.requeueFailed(workflowId);
        if (requeued > 0) {
            outboxWritten.fire(OutboxWritten.INSTANCE);
        }
        return requeued;
    }

    @Override
    public int purgeDispatched(Instant dispatchedBefore, int limit) {
        return store.purgeDispatched(dispatchedBefore, limit);
    }

    @Override
    public OutboxStats outboxStats() {
        return store.outboxStats();
    }

    /**
     * The objects of the latest migration ({@link dev.verist.storage.pg.PgSchema#latestMigration()}) that the
     * unit's database lacks, such as {@code verist_outbox.lease_token}; empty when it is up to date. One catalog
     * query in the caller's transaction (or one of its own); it writes nothing.
     *
     * @throws dev.verist.storage.StorageException when the database cannot be asked
     */
    public List<String> missingSchemaObjects() {
        return schema.missingObjects();
    }

    /** A no-op: the container owns the persistence unit. */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public void close() {
    }
}
