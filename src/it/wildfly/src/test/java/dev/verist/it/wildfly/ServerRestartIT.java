package dev.verist.it.wildfly;

import dev.verist.storage.pg.dispatch.scenarios.RestartScenario;
import dev.verist.storage.pg.dispatch.scenarios.RestartSettings;
import dev.verist.storage.pg.dispatch.scenarios.SlowHandler;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WildFly killed in the middle of a batch (SIGKILL of its process) and started again, on a server of its
 * own that this suite starts (the {@code restartable} container of arquillian.xml, run by failsafe's second
 * execution): the deployment is persistent, so it comes back with the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerRestartIT extends RestartScenario {

    private static final String SERVER = "restartable";

    @ArquillianResource
    ContainerController server;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = RESTARTED, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static WebArchive restarted() {
        return Deployments.dispatcherWar(RESTARTED, RestartSettings.class).addClass(SlowHandler.class);
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
    protected void startWithApplication() {
        server.start(SERVER);
        deployer.deploy(RESTARTED);
    }

    // Arquillian's kill() stops WildFly gracefully: SIGKILL its process instead, then let Arquillian take note.
    @Override
    protected void kill() {
        String home = "-Djboss.home.dir=" + System.getProperty("jboss.home");
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("-D[Standalone]") && c.contains(home)).isPresent())
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
        server.kill(SERVER);
    }

    @Override
    protected void restart() {
        server.start(SERVER);
    }

    @Override
    protected void stopAndUndeploy() {
        if (server.isStarted(SERVER)) {
            deployer.undeploy(RESTARTED);
            server.stop(SERVER);
        }
    }
}
