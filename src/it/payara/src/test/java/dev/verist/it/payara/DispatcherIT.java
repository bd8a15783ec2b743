package dev.verist.it.payara;

import dev.verist.it.payara.app.Database;
import dev.verist.it.payara.app.ApplicationDataSource;
import dev.verist.it.payara.dispatch.DispatchResources;
import dev.verist.storage.pg.dispatch.scenarios.Deliveries;
import dev.verist.storage.pg.dispatch.scenarios.DeliveryData;
import dev.verist.storage.pg.dispatch.scenarios.DispatchScenarios;
import dev.verist.storage.pg.dispatch.scenarios.FailingHandler;
import dev.verist.storage.pg.dispatch.scenarios.LeaseLosingHandler;
import dev.verist.storage.pg.dispatch.scenarios.ListeningSettings;
import dev.verist.storage.pg.dispatch.scenarios.RecordingHandler;
import dev.verist.storage.pg.dispatch.scenarios.ScenarioSettings;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The dispatcher's server scenarios on Payara Micro, with Hibernate in the WAR. Its Arquillian adapter starts a Micro
 * process per deployment and keeps hold of the last one only, so the second application runs in a second Micro
 * process the suite starts itself ({@link SecondMicro}): two servers on one database. Undeploying stops the
 * process, which shuts the application down.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DispatcherIT extends DispatchScenarios {

    @ArquillianResource
    Deployer deployer;

    private SecondMicro second;

    @Deployment(name = FIRST, managed = false, testable = false)
    static WebArchive first() {
        return war(FIRST, ScenarioSettings.class);
    }

    @Deployment(name = LISTENING, managed = false, testable = false)
    static WebArchive listening() {
        return war(LISTENING, ListeningSettings.class);
    }

    static WebArchive war(String name, Class<?> settings) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(ApplicationDataSource.class, DispatchResources.class, settings,
                        RecordingHandler.class, FailingHandler.class, LeaseLosingHandler.class, Deliveries.class,
                        DeliveryData.class)
                .addAsResource("dispatcher/persistence.xml", "META-INF/persistence.xml")
                .addAsWebInfResource(RunStoreOnPayaraTestBase.webInf("beans.xml"), "beans.xml")
                .addAsWebInfResource(RunStoreOnPayaraTestBase.webInf("payara-web.xml"), "payara-web.xml")
                .addAsLibraries(RunStoreOnPayaraTestBase.warLibraries());
    }

    @Override
    protected DataSource database() {
        return plainDatabase();
    }

    /** Connections to the server's database from outside it, in the suites' schema. */
    static DataSource plainDatabase() {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(Database.url());
        database.setUser(env("VERIST_JDBC_USER", Database.DEFAULT_USER));
        database.setPassword(env("VERIST_JDBC_PASSWORD", ""));
        database.setCurrentSchema(Database.SCHEMA);
        return database;
    }

    @Override
    protected String schema() {
        return Database.SCHEMA;
    }

    @Override
    protected void deploy(String name) {
        if (SECOND.equals(name)) {
            second = SecondMicro.start(war(SECOND, ScenarioSettings.class));
            return;
        }
        deployer.deploy(name);
    }

    @Override
    protected void undeploy(String name) {
        if (SECOND.equals(name)) {
            second.stop();
            return;
        }
        deployer.undeploy(name);
        // The adapter signals the Micro process and returns at once: the application is down once it has exited.
        microProcesses(name).forEach(p -> {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Payara Micro for " + name + " did not exit", e);
            }
        });
    }

    /** The Payara Micro processes running the deployment {@code name}. */
    static Stream<ProcessHandle> microProcesses(String name) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("payara-micro") && c.contains(name + ".war"))
                        .isPresent());
    }

    @Override
    protected String managedThreadName() {
        return "ManagedScheduledExecutorService";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
