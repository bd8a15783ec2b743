package dev.verist.it.payara.dispatch;

import dev.verist.storage.pg.cdi.Verist;
import dev.verist.storage.pg.dispatch.scenarios.DeliveryData;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import javax.sql.DataSource;

/**
 * The server's part of the dispatcher scenarios' application: the store's unit and the data source the scenarios'
 * handlers write to ({@code ScenarioSettings} turns the dispatcher on).
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
}
