package dev.verist.it.payara.app.dedicatedunit;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Hands the store the container-managed EntityManager of a dedicated unit {@code verist} (only the verist
 * entities), next to the application's unit {@code app}. The store takes only the unit's factory from it: each
 * store call works on an EntityManager of its own, joined to the application's JTA transaction. Both units use the
 * same JTA data source, so within one transaction Payara hands the application's persistence context and the
 * store's managers the same pooled connection.
 */
@ApplicationScoped
public class VeristPersistence {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;
}
