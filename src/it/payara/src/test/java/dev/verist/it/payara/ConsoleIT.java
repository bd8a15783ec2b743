package dev.verist.it.payara;

import dev.verist.console.scenarios.ConsoleScenarios;
import dev.verist.console.scenarios.ConsoleStoreUnit;
import dev.verist.it.payara.app.ApplicationDataSource;
import dev.verist.it.payara.app.Database;
import dev.verist.it.payara.app.SchemaSetup;
import dev.verist.it.payara.console.ConsoleUsers;
import dev.verist.storage.pg.interplay.Invoice;
import java.net.URL;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's browser scenarios on Payara Micro: FORM login through Jakarta Security (the application's
 * identity store, {@link ConsoleUsers}) on the console's sign-in pages, its group mapped to the console's role.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT extends ConsoleScenarios {

    @ArquillianResource
    URL application;

    @Deployment(testable = false)
    static WebArchive console() {
        return ShrinkWrap.create(WebArchive.class, "verist-console-it.war")
                .addClasses(ApplicationDataSource.class, Database.class, SchemaSetup.class, Invoice.class,
                        ConsoleStoreUnit.class, ConsoleUsers.class)
                .addAsResource("dispatcher/persistence.xml", "META-INF/persistence.xml")
                .addAsWebInfResource(RunStoreOnPayaraTestBase.webInf("beans.xml"), "beans.xml")
                .addAsWebInfResource("console/payara-web.xml", "payara-web.xml")
                .addAsLibraries(RunStoreOnPayaraTestBase.warLibraries())
                .addAsLibraries(consoleJar());
    }

    @Override
    protected URL application() {
        return application;
    }

    @Override
    protected DataSource database() {
        return DispatcherIT.plainDatabase();
    }
}
