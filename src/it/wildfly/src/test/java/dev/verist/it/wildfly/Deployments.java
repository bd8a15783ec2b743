package dev.verist.it.wildfly;

import dev.verist.it.wildfly.dispatch.DispatchResources;
import dev.verist.storage.pg.dispatch.scenarios.Deliveries;
import dev.verist.storage.pg.dispatch.scenarios.DeliveryData;
import dev.verist.storage.pg.dispatch.scenarios.FailingHandler;
import dev.verist.storage.pg.dispatch.scenarios.LeaseLosingHandler;
import dev.verist.storage.pg.dispatch.scenarios.RecordingHandler;
import dev.verist.storage.pg.interplay.TransactionInterplayContract;
import java.io.File;
import java.util.Arrays;
import java.util.Objects;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Builds the test WARs (client side only). */
public final class Deployments {

    private Deployments() {
    }

    /**
     * A WAR with the shared application and contract (package {@code dev.verist.storage.pg.interplay} of the
     * library's test-jar: Invoice, the EJB and CDI workflow beans, the contract), the schema set-up, the given
     * persistence.xml and producer class, and in WEB-INF/lib the library with hypersistence-utils, Jackson and
     * AssertJ (copied to target/deployment-lib by the build; Hibernate is WildFly's own).
     */
    static WebArchive war(String name, String persistenceXml, Class<?> entityManagerProducers, Class<?> testClass) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackage(TransactionInterplayContract.class.getPackage())
                .addClasses(ItSchema.class, entityManagerProducers)
                .addClasses(RunStoreInWildFlyTestBase.class, testClass)
                .addAsResource("deployment/" + persistenceXml, "META-INF/persistence.xml")
                .addAsWebInfResource("deployment/beans.xml", "beans.xml")
                .addAsWebInfResource("deployment/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsLibraries(libs());
    }

    /**
     * An application with the dispatcher turned on ({@link ScenarioSettings}), its unit ({@link DispatchResources})
     * and the scenarios' handlers, from the library's test-jar; it leaves the schema as the test prepared it.
     */
    public static WebArchive dispatcherWar(String name, Class<?> settings) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(DispatchResources.class, settings, RecordingHandler.class,
                        FailingHandler.class, LeaseLosingHandler.class, Deliveries.class, DeliveryData.class)
                .addAsResource("deployment/persistence-dispatcher.xml", "META-INF/persistence.xml")
                .addAsWebInfResource("deployment/beans.xml", "beans.xml")
                .addAsWebInfResource("deployment/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsLibraries(libs());
    }

    private static File[] libs() {
        File libDir = new File(Objects.requireNonNull(System.getProperty("deployment.lib"),
                "system property deployment.lib (set by failsafe) names the WEB-INF/lib jars"));
        File[] libs = libDir.listFiles((dir, file) -> file.endsWith(".jar"));
        if (libs == null || Arrays.stream(libs).noneMatch(f -> f.getName().startsWith("verist-storage-pg"))) {
            throw new IllegalStateException("No verist-storage-pg jar in " + libDir + "; run the build through Maven");
        }
        return libs;
    }
}
