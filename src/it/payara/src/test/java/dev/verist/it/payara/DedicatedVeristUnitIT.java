package dev.verist.it.payara;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A dedicated unit {@code verist} (only the mapping file) beside the application's unit {@code app} (only
 * {@code Invoice}), both on the same JTA data source; {@code @Produces @Verist @PersistenceContext(unitName =
 * "verist") EntityManager} hands the dedicated one to the store.
 */
class DedicatedVeristUnitIT extends RunStoreOnPayaraTestBase {

    @Deployment
    static WebArchive deployment() {
        return war("verist-it-dedicated-unit", "dedicated-unit/persistence.xml",
                dev.verist.it.payara.app.dedicatedunit.VeristPersistence.class, DedicatedVeristUnitIT.class);
    }
}
