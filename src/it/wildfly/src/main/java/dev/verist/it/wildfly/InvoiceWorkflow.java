package dev.verist.it.wildfly;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import java.util.List;

/** What the application does, once as an EJB and once as a CDI {@code @Transactional} bean. */
public interface InvoiceWorkflow {

    /** Persists the invoice and commits the step, in one transaction. */
    RunState recordAndCommit(Invoice invoice, Commit commit);

    /** Persists the invoice, commits the step, then fails with an {@link IllegalStateException}. */
    void recordCommitAndFail(Invoice invoice, Commit commit);

    /**
     * Persists the invoice and commits the step, catching a store conflict and returning normally, as a careless
     * caller might; returns the conflict's reason, or null when there was none.
     */
    ConflictReason recordAndCommitIgnoringConflicts(Invoice invoice, Commit commit);

    /**
     * In a new transaction: leases the outbox (as often as needed to get past other runs' entries) and marks this
     * run's entries dispatched; returns them.
     */
    List<OutboxEntry> dispatchOutboxOf(String workflowId, String runId, String leaseOwner);
}
