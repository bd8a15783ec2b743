package dev.verist.storage.pg.cdi;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/** An application service that writes its own entity and commits a workflow step in one transaction. */
@ApplicationScoped
@Transactional
public class InvoiceService {

    @Inject
    EntityManager entityManager;

    @Inject
    RunStore store;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Records the invoice and commits the step. */
    public void recordAndCommit(Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        store.commit(commit);
    }

    /** Records the invoice, commits the step, then fails. */
    public void recordCommitAndFail(Invoice invoice, Commit commit) {
        recordAndCommit(invoice, commit);
        throw new IllegalStateException("the application failed after the store's commit");
    }

    /** Records the invoice, runs {@code storeWork} in this transaction, then fails. */
    public void recordRunAndFail(Invoice invoice, Runnable storeWork) {
        entityManager.persist(invoice);
        entityManager.flush();
        storeWork.run();
        throw new IllegalStateException("the application failed after the store's work");
    }

    /**
     * Records the invoice and commits the step, swallowing a store conflict as a careless caller might.
     *
     * @return whether the transaction was rollback-only when the method returned
     */
    public boolean recordAndCommitIgnoringConflicts(Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        try {
            store.commit(commit);
        } catch (ConflictException ignored) {
            // The transaction is rollback-only now; returning normally must not commit the invoice.
        }
        return transactions.getRollbackOnly();
    }
}
