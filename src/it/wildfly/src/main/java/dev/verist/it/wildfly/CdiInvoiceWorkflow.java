package dev.verist.it.wildfly;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/** The workflow as a CDI bean with {@code @Transactional} (REQUIRED). */
@ApplicationScoped
@Transactional
public class CdiInvoiceWorkflow implements InvoiceWorkflow {

    @Inject
    EntityManager entityManager;

    @Inject
    PgRunStore store;

    @Override
    public RunState recordAndCommit(Invoice invoice, Commit commit) {
        return WorkflowSteps.recordAndCommit(entityManager, store, invoice, commit);
    }

    @Override
    public void recordCommitAndFail(Invoice invoice, Commit commit) {
        WorkflowSteps.recordCommitAndFail(entityManager, store, invoice, commit);
    }

    @Override
    public ConflictReason recordAndCommitIgnoringConflicts(Invoice invoice, Commit commit) {
        return WorkflowSteps.recordAndCommitIgnoringConflicts(entityManager, store, invoice, commit);
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<OutboxEntry> dispatchOutboxOf(String workflowId, String runId, String leaseOwner) {
        return WorkflowSteps.dispatchOutboxOf(store, workflowId, runId, leaseOwner);
    }
}
