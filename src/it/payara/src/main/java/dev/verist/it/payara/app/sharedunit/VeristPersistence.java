package dev.verist.it.payara.app.sharedunit;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Hands the store the container-managed EntityManager of the application's own unit {@code app}, which adds the
 * verist entities with {@code <mapping-file>META-INF/verist-orm.xml</mapping-file>}: the application's writes and
 * the store's share one persistence context, one connection and one JTA transaction.
 */
@ApplicationScoped
public class VeristPersistence {

    @Produces
    @Verist
    @PersistenceContext(unitName = "app")
    EntityManager veristEntityManager;
}
