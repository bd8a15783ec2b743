package dev.verist.it.wildfly;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;

/** The bodies both beans share; each bean brings its own transaction demarcation. */
final class WorkflowSteps {

    private WorkflowSteps() {
    }

    static RunState recordAndCommit(EntityManager entityManager, PgRunStore store, Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush(); // the INSERT reaches the database before the store writes
        return store.commit(commit);
    }

    static void recordCommitAndFail(EntityManager entityManager, PgRunStore store, Invoice invoice, Commit commit) {
        recordAndCommit(entityManager, store, invoice, commit);
        throw new IllegalStateException("the application failed after the store's commit");
    }

    static ConflictReason recordAndCommitIgnoringConflicts(EntityManager entityManager, PgRunStore store,
                                                           Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        try {
            store.commit(commit);
            return null;
        } catch (ConflictException e) {
            // The transaction is rollback-only now: returning normally must not commit the invoice.
            return e.reason();
        }
    }

    static List<OutboxEntry> dispatchOutboxOf(PgRunStore store, String workflowId, String runId, String leaseOwner) {
        List<OutboxEntry> dispatched = new ArrayList<>();
        // The schema is shared with earlier runs: entries of other runs may come first (oldest first). Leased
        // entries are not leased again, so each round moves on; those of other runs stay leased until they expire.
        for (int round = 0; round < 50; round++) {
            List<OutboxEntry> batch = store.leaseOutbox(leaseOwner, 100);
            if (batch.isEmpty()) {
                break;
            }
            for (OutboxEntry entry : batch) {
                if (entry.workflowId().equals(workflowId) && entry.runId().equals(runId)) {
                    store.markDispatched(entry.id(), leaseOwner);
                    dispatched.add(entry);
                }
            }
        }
        return dispatched;
    }
}
