package dev.verist.storage.pg.interplay;

import dev.verist.storage.Commit;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import jakarta.annotation.Resource;
import jakarta.ejb.LocalBean;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;

/**
 * The workflow as a stateless EJB: container-managed transactions, REQUIRED by default. Only servers run it (Weld
 * in Java SE ignores {@code @Stateless}). The environment produces the application's (unqualified)
 * {@code EntityManager}.
 */
@Stateless
@LocalBean
public class EjbInvoiceWorkflow implements InvoiceWorkflow {

    @Inject
    EntityManager entityManager;

    @Inject
    PgRunStore store;

    @Resource
    SessionContext context;

    @Resource
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
                context::getRollbackOnly);
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<OutboxEntry> dispatchOutboxOf(String workflowId, String runId, String leaseOwner) {
        return WorkflowSteps.dispatchOutboxOf(store, workflowId, runId, leaseOwner);
    }
}
