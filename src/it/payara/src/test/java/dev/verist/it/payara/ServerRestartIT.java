package dev.verist.it.payara;

import dev.verist.it.payara.app.Database;
import dev.verist.storage.pg.dispatch.scenarios.RestartScenario;
import dev.verist.storage.pg.dispatch.scenarios.RestartSettings;
import dev.verist.storage.pg.dispatch.scenarios.SlowHandler;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Payara Micro killed in the middle of a batch (SIGKILL of its process) and started again with the same
 * application: the adapter runs a Micro process per deployment, so starting the server is deploying.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerRestartIT extends RestartScenario {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = RESTARTED, managed = false, testable = false)
    static WebArchive restarted() {
        return DispatcherIT.war(RESTARTED, RestartSettings.class).addClass(SlowHandler.class);
    }

    @Override
    protected DataSource database() {
        return DispatcherIT.plainDatabase();
    }

    @Override
    protected String schema() {
        return Database.SCHEMA;
    }

    @Override
    protected void startWithApplication() {
        deployer.deploy(RESTARTED);
    }

    @Override
    protected void kill() {
        DispatcherIT.microProcesses(RESTARTED).forEach(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    @Override
    protected void restart() {
        try {
            deployer.undeploy(RESTARTED); // the adapter's record of the killed process
        } catch (RuntimeException alreadyGone) {
            // nothing of it runs any more
        }
        deployer.deploy(RESTARTED);
    }

    @Override
    protected void stopAndUndeploy() {
        deployer.undeploy(RESTARTED);
        DispatcherIT.microProcesses(RESTARTED).forEach(p -> p.onExit().join());
    }
}
