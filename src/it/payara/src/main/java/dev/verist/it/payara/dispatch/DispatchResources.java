package dev.verist.it.payara.dispatch;

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
 * What an application writes to turn the dispatcher on: the store's unit on the JTA data source of
 * {@link DispatchDataSource} and dispatcher settings (the executor and the transactions are Payara's defaults, from JNDI, as in production; only the poll is
 * quicker), plus the data source the scenarios' handlers write to.
 */
@ApplicationScoped
public class DispatchResources {

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;

    @Produces
    @DeliveryData
    @Resource(lookup = "java:app/jdbc/veristIt")
    DataSource deliveries;

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).batchSize(5).build();
    }
}
