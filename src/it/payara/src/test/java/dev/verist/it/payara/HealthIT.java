package dev.verist.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.it.payara.app.ApplicationDataSource;
import dev.verist.it.payara.app.Database;
import dev.verist.it.payara.app.SchemaSetup;
import dev.verist.it.payara.dispatch.DispatchResources;
import dev.verist.storage.pg.dispatch.scenarios.DeliveryData;
import dev.verist.storage.pg.dispatch.scenarios.ScenarioSettings;
import dev.verist.storage.pg.interplay.Invoice;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health on Payara Micro: its MicroProfile Health finds the library's readiness check {@code verist} and serves it at
 * {@code /health/ready} on the HTTP port. Micrometer is not part of Payara, so its adapter stays out of the
 * deployment, which must start all the same.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthIT {

    // The verist check's object in the response, whatever the spacing: its name, then its status.
    private static final Pattern VERIST_UP = Pattern.compile(
            "\\{\\s*\"name\"\\s*:\\s*\"verist\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\"");

    @ArquillianResource
    URL application;

    @Deployment(testable = false)
    static WebArchive health() {
        return ShrinkWrap.create(WebArchive.class, "verist-health.war")
                .addClasses(ApplicationDataSource.class, Database.class, SchemaSetup.class, Invoice.class,
                        DispatchResources.class, DeliveryData.class, ScenarioSettings.class)
                .addAsResource("dispatcher/persistence.xml", "META-INF/persistence.xml")
                .addAsWebInfResource(RunStoreOnPayaraTestBase.webInf("beans.xml"), "beans.xml")
                .addAsWebInfResource(RunStoreOnPayaraTestBase.webInf("payara-web.xml"), "payara-web.xml")
                .addAsLibraries(RunStoreOnPayaraTestBase.warLibraries());
    }

    @Test
    void readinessOnTheHttpPortHasTheVeristCheckUpWithTheDispatcherRunning() throws Exception {
        URI ready = application.toURI().resolve("/health/ready");
        String body = "";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!(VERIST_UP.matcher(body).find() && body.contains("running")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            body = get(ready);
        }

        assertThat(body).containsPattern(VERIST_UP);
        assertThat(body).containsPattern("\"database\"\\s*:\\s*\"reachable\"")
                .containsPattern("\"schema\"\\s*:\\s*\"V4\"")
                .containsPattern("\"dispatcher\"\\s*:\\s*\"running\"")
                .containsPattern("\"pending\"\\s*:\\s*\"?0\"?"); // Payara writes the numbers as strings
    }

    private static String get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }
}
