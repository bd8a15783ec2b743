package dev.verist.it.wildfly.console;

import dev.verist.console.scenarios.ConsoleScenarios;
import dev.verist.console.scenarios.ConsoleStoreUnit;
import dev.verist.it.wildfly.ItSchema;
import dev.verist.it.wildfly.OutsideDatabase;
import dev.verist.storage.pg.interplay.Invoice;
import java.io.File;
import java.net.URL;
import java.util.Arrays;
import java.util.Objects;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's browser scenarios on WildFly: FORM login (the console's sign-in pages, web.xml) over the
 * properties realm {@code verist-console} of the server's security domain (console.cli).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT extends ConsoleScenarios {

    @ArquillianResource
    URL application;

    @Deployment(testable = false)
    static WebArchive console() {
        return ShrinkWrap.create(WebArchive.class, "verist-console-it.war")
                .addClasses(ConsoleStoreUnit.class, ItSchema.class, Invoice.class)
                .addAsResource("deployment/persistence-dispatcher.xml", "META-INF/persistence.xml")
                .addAsWebInfResource("deployment/beans.xml", "beans.xml")
                .addAsWebInfResource("deployment/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsWebInfResource("console/web.xml", "web.xml")
                .addAsWebInfResource("console/jboss-web.xml", "jboss-web.xml")
                .addAsLibraries(jars("deployment.lib", "verist-storage-pg"))
                .addAsLibraries(consoleJar());
    }

    @Override
    protected URL application() {
        return application;
    }

    @Override
    protected DataSource database() {
        return OutsideDatabase.get();
    }

    private static File[] jars(String property, String required) {
        File dir = new File(Objects.requireNonNull(System.getProperty(property), property));
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || Arrays.stream(jars).noneMatch(f -> f.getName().startsWith(required))) {
            throw new IllegalStateException("No " + required + " jar in " + dir + "; run the build through Maven");
        }
        return jars;
    }
}
