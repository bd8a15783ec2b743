package dev.verist.examples.wildfly;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Tells the library which persistence unit maps the verist entities (persistence.xml: unit "verist", mapping
 * file META-INF/verist-orm.xml). With it, {@code @Inject PgRunStore} (or {@code RunStore}) works anywhere.
 */
@ApplicationScoped
public class VeristPersistence {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;
}
