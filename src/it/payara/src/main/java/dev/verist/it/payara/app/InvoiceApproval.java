package dev.verist.it.payara.app;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.RunState;
import dev.verist.storage.RunStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.function.BiConsumer;

/**
 * A CDI service of the application: one {@code @Transactional} method writes an {@link Invoice} with JPA and
 * commits a workflow step with the store. The invoice is flushed first, so its INSERT has reached PostgreSQL
 * (in the transaction) before the store writes.
 */
@ApplicationScoped
public class InvoiceApproval {

    @PersistenceContext(unitName = "app")
    EntityManager entityManager;

    @Inject
    RunStore store;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Both writes commit together. */
    @Transactional
    public RunState approve(Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        return store.commit(commit);
    }

    /** The store's commit succeeds, then the application fails: the transaction rolls back. */
    @Transactional
    public RunState approveThenFail(Invoice invoice, Commit commit, RuntimeException failure) {
        entityManager.persist(invoice);
        entityManager.flush();
        store.commit(commit);
        throw failure;
    }

    /**
     * The application catches the store's {@link ConflictException}, reports it with the status of the transaction
     * at that moment, and returns normally. The store has left the transaction rollback-only, so it cannot commit:
     * Payara's {@code @Transactional} interceptor then rolls it back (silently: it does not throw).
     */
    @Transactional
    public void approveIgnoringConflict(Invoice invoice, Commit commit,
                                        BiConsumer<ConflictException, Integer> caught) {
        entityManager.persist(invoice);
        entityManager.flush();
        try {
            store.commit(commit);
        } catch (ConflictException e) {
            caught.accept(e, transactions.getTransactionStatus());
        }
    }
}
