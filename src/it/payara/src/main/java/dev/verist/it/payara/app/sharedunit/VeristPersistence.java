package dev.verist.it.payara.app.sharedunit;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Hands the store the container-managed EntityManager of the application's own unit {@code app}, which adds the
 * verist entities with {@code <mapping-file>META-INF/verist-orm.xml</mapping-file>}. The store takes only the
 * unit's factory from it: each store call works on an EntityManager of its own, joined to the application's JTA
 * transaction (and so to its connection); the application's persistence context is never touched.
 */
@ApplicationScoped
public class VeristPersistence {

    @Produces
    @Verist
    @PersistenceContext(unitName = "app")
    EntityManager veristEntityManager;
}
