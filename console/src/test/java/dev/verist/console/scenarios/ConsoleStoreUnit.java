package dev.verist.console.scenarios;

import dev.verist.storage.pg.cdi.Verist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * For a subclass's WAR: the store's unit {@code verist} for the console's store bean, and no dispatcher, so that
 * what the scenarios commit stays as they left it.
 */
@ApplicationScoped
public class ConsoleStoreUnit {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;
}
