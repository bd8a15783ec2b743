package dev.verist.it.wildfly;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Layout (a): the store works on a dedicated "verist" unit next to the application's "app" unit. */
class DedicatedVeristUnitIT extends RunStoreInWildFlyTestBase {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war("verist-dedicated-unit", "persistence-dedicated-unit.xml",
                DedicatedUnitResources.class, DedicatedVeristUnitIT.class);
    }
}
