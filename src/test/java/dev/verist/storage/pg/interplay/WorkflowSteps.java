package dev.verist.storage.pg.interplay;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The bodies both workflow beans share; each bean brings its own transaction demarcation. */
final class WorkflowSteps {

    private WorkflowSteps() {
    }

    static RunState recordAndCommit(EntityManager entityManager, PgRunStore store, Invoice invoice, Commit commit) {
        record(entityManager, invoice);
        return store.commit(commit);
    }

    static void recordCommitAndFail(EntityManager entityManager, PgRunStore store, Invoice invoice, Commit commit,
                                    RuntimeException failure) {
        recordAndCommit(entityManager, store, invoice, commit);
        throw failure;
    }

    static void recordRunAndFail(EntityManager entityManager, Invoice invoice, Runnable storeWork,
                                 RuntimeException failure) {
        record(entityManager, invoice);
        storeWork.run();
        throw failure;
    }

    static SwallowedConflict recordAndCommitIgnoringConflicts(EntityManager entityManager, PgRunStore store,
                                                              Invoice invoice, Commit commit,
                                                              TransactionSynchronizationRegistry transactions,
                                                              BooleanSupplier rollbackOnly) {
        record(entityManager, invoice);
        try {
            store.commit(commit);
            return null;
        } catch (ConflictException e) {
            // The store has marked the transaction rollback-only: returning normally must not commit the invoice.
            return new SwallowedConflict(e, transactions.getTransactionStatus(), rollbackOnly.getAsBoolean());
        }
    }

    static List<OutboxEntry> dispatchOutboxOf(PgRunStore store, String workflowId, String runId, String leaseOwner) {
        List<OutboxEntry> dispatched = new ArrayList<>();
        for (OutboxEntry entry : store.leaseOutbox(leaseOwner, 100)) {
            if (entry.workflowId().equals(workflowId) && entry.runId().equals(runId)) {
                store.markDispatched(entry.id(), leaseOwner);
                dispatched.add(entry);
            }
        }
        return dispatched;
    }

    private static void record(EntityManager entityManager, Invoice invoice) {
        entityManager.persist(invoice);
        entityManager.flush(); // the INSERT reaches the database before the store writes
    }
}
