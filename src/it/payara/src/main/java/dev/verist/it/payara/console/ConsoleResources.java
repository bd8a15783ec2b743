package dev.verist.it.payara.console;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The console suite's application: the store's unit, and no dispatcher, so that what the tests see stays put. */
@ApplicationScoped
public class ConsoleResources {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;
}
