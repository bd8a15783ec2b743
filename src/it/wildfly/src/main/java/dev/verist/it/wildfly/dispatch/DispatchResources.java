package dev.verist.it.wildfly.dispatch;

import dev.verist.it.wildfly.ItSchema;
import dev.verist.storage.pg.cdi.Verist;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import dev.verist.storage.pg.dispatch.scenarios.DeliveryData;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * What an application writes to turn the dispatcher on: the store's unit and dispatcher settings (the executor and
 * the transactions are the server's defaults, from JNDI, as in production; only the poll is quicker), plus the
 * datasource the scenarios' handlers write to.
 */
@ApplicationScoped
public class DispatchResources {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;

    @Produces
    @DeliveryData
    @Resource(lookup = ItSchema.DATASOURCE)
    DataSource deliveries;

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).batchSize(5).build();
    }
}
