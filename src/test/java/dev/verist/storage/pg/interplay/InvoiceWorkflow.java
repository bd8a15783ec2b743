package dev.verist.storage.pg.interplay;

import dev.verist.storage.Commit;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import java.util.List;

/**
 * What the application does, each method in one transaction of its own (REQUIRED, begun by the bean since the
 * tests call without one): as a stateless EJB ({@link EjbInvoiceWorkflow}) and as a CDI {@code @Transactional}
 * bean ({@link CdiInvoiceWorkflow}). The invoice is always flushed before the store writes, so its INSERT has
 * reached PostgreSQL in the transaction when the store's statements run.
 */
public interface InvoiceWorkflow {

    /** Persists the invoice and commits the step. */
    RunState recordAndCommit(Invoice invoice, Commit commit);

    /** Persists the invoice, commits the step, then throws {@code failure}. */
    void recordCommitAndFail(Invoice invoice, Commit commit, RuntimeException failure);

    /** Persists the invoice, runs {@code storeWork} (calls on the store) in the same transaction, then throws {@code failure}. */
    void recordRunAndFail(Invoice invoice, Runnable storeWork, RuntimeException failure);

    /**
     * Persists the invoice and commits the step, catching a store conflict and returning normally, as a careless
     * caller might.
     *
     * @return what the application saw when it caught the conflict, or null when the commit succeeded
     */
    SwallowedConflict recordAndCommitIgnoringConflicts(Invoice invoice, Commit commit);

    /** In a new transaction: leases the outbox and marks the entries of this run dispatched; returns them. */
    List<OutboxEntry> dispatchOutboxOf(String workflowId, String runId, String leaseOwner);
}
