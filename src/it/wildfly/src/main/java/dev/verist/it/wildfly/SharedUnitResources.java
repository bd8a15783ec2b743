package dev.verist.it.wildfly;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Layout (b): one unit "app" holds Invoice and, by {@code META-INF/verist-orm.xml}, the verist entities. */
@ApplicationScoped
public class SharedUnitResources {

    @Produces
    @PersistenceContext(unitName = "app")
    EntityManager applicationEntityManager;

    @Produces
    @Verist
    @PersistenceContext(unitName = "app")
    EntityManager veristEntityManager;
}
