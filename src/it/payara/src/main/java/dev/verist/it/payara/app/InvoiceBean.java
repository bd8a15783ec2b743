package dev.verist.it.payara.app;

import dev.verist.storage.Commit;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.PgRunStore;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The same work as {@link InvoiceApproval#approve} in a stateless EJB (container-managed transaction, REQUIRED). */
@Stateless
public class InvoiceBean {

    @PersistenceContext(unitName = "app")
    EntityManager entityManager;

    @Inject
    PgRunStore store;

    public RunState approve(Invoice invoice, Commit commit) {
        entityManager.persist(invoice);
        entityManager.flush();
        return store.commit(commit);
    }
}
