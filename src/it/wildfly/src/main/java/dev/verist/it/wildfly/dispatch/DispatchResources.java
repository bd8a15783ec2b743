package dev.verist.it.wildfly.dispatch;

import dev.verist.storage.pg.cdi.Verist;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;

/**
 * What an application writes to turn the dispatcher on: the store's unit and dispatcher settings. The executor and
 * the transactions are the server's defaults (JNDI), as in production; only the poll is quicker.
 */
@ApplicationScoped
public class DispatchResources {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).batchSize(5).build();
    }
}
