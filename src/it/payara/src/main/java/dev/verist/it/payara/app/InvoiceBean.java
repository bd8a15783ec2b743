package dev.verist.it.payara.app;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.PgRunStore;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.function.BiConsumer;

/** The same work as {@link InvoiceApproval#approve} in a stateless EJB (container-managed transaction, REQUIRED). */
@Stateless
public class InvoiceBean {

    @PersistenceContext(unitName = "app")
    EntityManager entityManager;

    @Inject
    PgRunStore store;

    @Resource
    SessionContext context;

    public RunState approve(Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        return store.commit(commit);
    }

    /**
     * Catches the store's {@link ConflictException} and returns normally, reporting whether the container transaction
     * was rollback-only at that moment; the container then rolls it back instead of committing.
     */
    public void approveIgnoringConflict(Invoice invoice, Commit commit, BiConsumer<ConflictException, Boolean> caught) {
        entityManager.persist(invoice);
        entityManager.flush();
        try {
            store.commit(commit);
        } catch (ConflictException e) {
            caught.accept(e, context.getRollbackOnly());
        }
    }
}
