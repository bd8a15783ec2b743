package dev.verist.it.wildfly;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Layout (b): the store works on the application's own unit, which includes META-INF/verist-orm.xml. */
class SharedApplicationUnitIT extends RunStoreInWildFlyTestBase {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war("verist-shared-unit", "persistence-shared-unit.xml",
                SharedUnitResources.class, SharedApplicationUnitIT.class);
    }
}
