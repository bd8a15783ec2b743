package dev.verist.it.payara;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The application's own unit {@code app} adds {@code <mapping-file>META-INF/verist-orm.xml</mapping-file>}, and
 * {@code @Produces @Verist @PersistenceContext(unitName = "app") EntityManager} hands it to the store.
 */
class SharedApplicationUnitIT extends RunStoreOnPayaraTestBase {

    @Deployment
    static WebArchive deployment() {
        return war("verist-it-shared-unit", "shared-unit/persistence.xml",
                dev.verist.it.payara.app.sharedunit.VeristPersistence.class, SharedApplicationUnitIT.class);
    }
}
