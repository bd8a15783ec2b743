package dev.verist.it.wildfly;

import dev.verist.storage.pg.dispatch.scenarios.DispatchScenarios;
import dev.verist.storage.pg.dispatch.scenarios.ListeningSettings;
import dev.verist.storage.pg.dispatch.scenarios.ScenarioSettings;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dispatcher's server scenarios on WildFly: two WARs deployed side by side on the VeristItDS datasource. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DispatcherIT extends DispatchScenarios {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = FIRST, managed = false, testable = false)
    static WebArchive first() {
        return Deployments.dispatcherWar(FIRST, ScenarioSettings.class);
    }

    @Deployment(name = SECOND, managed = false, testable = false)
    static WebArchive second() {
        return Deployments.dispatcherWar(SECOND, ScenarioSettings.class);
    }

    @Deployment(name = LISTENING, managed = false, testable = false)
    static WebArchive listening() {
        return Deployments.dispatcherWar(LISTENING, ListeningSettings.class);
    }

    @Override
    protected DataSource database() {
        return OutsideDatabase.get();
    }

    @Override
    protected String schema() {
        return ItSchema.SCHEMA;
    }

    @Override
    protected void deploy(String name) {
        deployer.deploy(name);
    }

    @Override
    protected void undeploy(String name) {
        deployer.undeploy(name);
    }

    @Override
    protected String managedThreadName() {
        return "EE-ManagedScheduledExecutorService-default";
    }
}
