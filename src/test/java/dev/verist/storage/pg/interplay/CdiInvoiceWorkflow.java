package dev.verist.storage.pg.interplay;

import dev.verist.storage.Commit;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The workflow as a CDI bean with {@code @Transactional} (REQUIRED): the entry point every environment has, Java
 * SE included. The environment produces the application's (unqualified) {@code EntityManager}.
 */
@ApplicationScoped
@Transactional
public class CdiInvoiceWorkflow implements InvoiceWorkflow {

    @Inject
    EntityManager entityManager;

    @Inject
    PgRunStore store;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Override
    public RunState recordAndCommit(Invoice invoice, Commit commit) {
        return WorkflowSteps.recordAndCommit(entityManager, store, invoice, commit);
    }

    @Override
    public void recordCommitAndFail(Invoice invoice, Commit commit, RuntimeException failure) {
        WorkflowSteps.recordCommitAndFail(entityManager, store, invoice, commit, failure);
    }

    @Override
    public void recordRunAndFail(Invoice invoice, Runnable storeWork, RuntimeException failure) {
        WorkflowSteps.recordRunAndFail(entityManager, invoice, storeWork, failure);
    }

    @Override
    public SwallowedConflict recordAndCommitIgnoringConflicts(Invoice invoice, Commit commit) {
        return WorkflowSteps.recordAndCommitIgnoringConflicts(entityManager, store, invoice, commit, transactions,
                transactions::getRollbackOnly);
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<OutboxEntry> dispatchOutboxOf(String workflowId, String runId, String leaseOwner) {
        return WorkflowSteps.dispatchOutboxOf(store, workflowId, runId, leaseOwner);
    }
}
