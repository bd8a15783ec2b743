package dev.verist.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.it.payara.app.ApplicationResources;
import dev.verist.it.payara.app.Database;
import dev.verist.storage.pg.interplay.CdiInvoiceWorkflow;
import dev.verist.storage.pg.interplay.CommittedRows;
import dev.verist.storage.pg.interplay.EjbInvoiceWorkflow;
import dev.verist.storage.pg.interplay.EntryPoint;
import dev.verist.storage.pg.interplay.TransactionInterplayContract;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transaction-interplay contract inside Payara Micro with Hibernate as the JPA provider (Arquillian
 * in-container), through a stateless EJB and through a CDI {@code @Transactional} bean, plus the check that the
 * application's data source and the tests' plain JDBC reach the same database and schema as the same user. The committed rows are read with
 * plain JDBC ({@link Database#connect()}: its own connection, outside the container's transactions and pool). The
 * subclasses choose the persistence unit(s) of the WAR.
 */
@ExtendWith(ArquillianExtension.class)
abstract class RunStoreOnPayaraTestBase extends TransactionInterplayContract {

    /**
     * The application WAR: the shared application and contract (package {@code dev.verist.storage.pg.interplay} of
     * the library's test-jar), the Payara wiring ({@code dev.verist.it.payara.app}), the given persistence.xml and
     * {@code @Verist} producer, and in WEB-INF/lib the library with Hibernate, hypersistence-utils, Jackson and the
     * PostgreSQL driver (Payara has none of them), and AssertJ for the tests.
     */
    static WebArchive war(String name, String persistenceXml, Class<?> veristProducer, Class<?> testClass) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackage(TransactionInterplayContract.class.getPackage())
                .addPackage(ApplicationResources.class.getPackage())
                .addClass(veristProducer)
                .addClasses(RunStoreOnPayaraTestBase.class, testClass)
                .addAsResource(persistenceXml, "META-INF/persistence.xml")
                .addAsWebInfResource(webInf("beans.xml"), "beans.xml")
                .addAsWebInfResource(webInf("payara-web.xml"), "payara-web.xml")
                .addAsLibraries(warLibraries())
                .addAsLibraries(jarOf(Assertions.class));
    }

    @Inject
    EjbInvoiceWorkflow ejb;

    @Inject
    CdiInvoiceWorkflow cdi;

    @Resource(lookup = "java:app/jdbc/veristIt")
    DataSource applicationDataSource;

    @Override
    protected List<EntryPoint> entryPoints() {
        return List.of(EntryPoint.statelessEjb(ejb), EntryPoint.cdiTransactional(cdi));
    }

    @Override
    protected CommittedRows committedRows() {
        return new CommittedRows(Database::connect);
    }

    @Test
    final void applicationDataSourceReachesTheDatabaseAndSchemaTheChecksRead() {
        String expected = committedRows().userDatabaseAndSchema();

        assertThat(new CommittedRows(applicationDataSource::getConnection).userDatabaseAndSchema())
                .isEqualTo(expected)
                .endsWith("/" + Database.SCHEMA);
    }

    /** A file of src/main/webapp/WEB-INF; failsafe sets {@code basedir} to the project directory. */
    static File webInf(String name) {
        return new File(System.getProperty("basedir", "."), "src/main/webapp/WEB-INF/" + name);
    }

    /** target/war-lib, filled by maven-dependency-plugin: the library, Hibernate and the rest of WEB-INF/lib. */
    static File[] warLibraries() {
        String dir = Objects.requireNonNull(System.getProperty("war.lib.dir"), "system property war.lib.dir");
        File[] jars = new File(dir).listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No jars in " + dir + ": run the build through Maven (mvn verify)");
        }
        return jars;
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
