package dev.verist.it.wildfly;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Layout (a): the application's unit "app" holds Invoice; a second unit "verist" maps the verist entities. */
@ApplicationScoped
public class DedicatedUnitResources {

    @Produces
    @PersistenceContext(unitName = "app")
    EntityManager applicationEntityManager;

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;
}
