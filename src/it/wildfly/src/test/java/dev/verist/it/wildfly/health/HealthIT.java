package dev.verist.it.wildfly.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.it.wildfly.ItSchema;
import dev.verist.it.wildfly.OutsideDatabase;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.health.micrometer.MicrometerDispatchMetrics;
import dev.verist.storage.pg.interplay.Invoice;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health and metrics on WildFly with the {@code microprofile-health} and {@code micrometer} layers: the readiness
 * check {@code verist} on the management port's {@code /health/ready}, the meters on the registry the micrometer
 * subsystem injects, and in its Prometheus registry on the management port ({@code /prometheus}).
 */
@ExtendWith(ArquillianExtension.class)
class HealthIT {

    private static final String MANAGEMENT = "http://127.0.0.1:9990";

    @Inject
    MeterRegistry registry;

    @Inject
    PgRunStore store;

    @Deployment
    static WebArchive health() {
        File libDir = new File(Objects.requireNonNull(System.getProperty("deployment.lib"), "deployment.lib"));
        File[] libs = libDir.listFiles((dir, file) -> file.endsWith(".jar"));
        if (libs == null || Arrays.stream(libs).noneMatch(f -> f.getName().startsWith("verist-storage-pg"))) {
            throw new IllegalStateException("No verist-storage-pg jar in " + libDir + "; run the build through Maven");
        }
        return ShrinkWrap.create(WebArchive.class, "verist-health.war")
                .addClasses(HealthIT.class, HealthResources.class, HealthResources.Handler.class, ItSchema.class,
                        Invoice.class)
                .addAsResource("deployment/persistence-dispatcher.xml", "META-INF/persistence.xml")
                .addAsWebInfResource("deployment/beans.xml", "beans.xml")
                .addAsWebInfResource("deployment/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsLibraries(libs);
    }

    @Test
    void theMicrometerSubsystemsRegistryHasTheOutboxGaugesAndTimesEachDeliveryByKindAndOutcome() {
        store.commit(Commit.builder("health", "in-" + UUID.randomUUID(), "s")
                .command(Command.invoke(HealthResources.STEP, Map.of())).build());

        await("the delivery timed", () -> dispatched(registry) >= 1);

        assertThat(registry.find(MicrometerDispatchMetrics.PENDING).gauge()).isNotNull();
        assertThat(registry.find(MicrometerDispatchMetrics.OLDEST_PENDING_AGE).gauge()).isNotNull();
        assertThat(registry.find(MicrometerDispatchMetrics.FAILED).gauge()).isNotNull();
        assertThat(registry.find(MicrometerDispatchMetrics.RETRIES_WAITING).gauge()).isNotNull();
        assertThat(registry.find(MicrometerDispatchMetrics.LEASES_EXPIRED).gauge()).isNotNull();
        assertThat(registry.find(MicrometerDispatchMetrics.PENDING).gauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    @RunAsClient
    void theManagementPortsReadinessHasTheVeristCheckUpWithTheDispatcherRunning() throws Exception {
        String[] body = new String[1];
        await("verist UP in /health/ready", () -> {
            body[0] = get(MANAGEMENT + "/health/ready");
            return body[0].contains("\"dispatcher\":\"running\"");
        });

        assertThat(body[0]).containsPattern(Pattern.compile(
                "\\{\"name\":\"verist\",\"status\":\"UP\",\"data\":\\{[^}]*\"database\":\"reachable\""));
        assertThat(body[0]).contains("\"schema\":\"V4\"").contains("\"pending\":");
    }

    @Test
    @RunAsClient
    void thePrometheusEndpointOnTheManagementPortShowsTheGaugesAndTheHandlerTimer() {
        String runId = "out-" + UUID.randomUUID();
        PgRunStore outside = PgRunStore.create(database());
        outside.commit(Commit.builder("health", runId, "s")
                .command(Command.invoke(HealthResources.STEP, Map.of())).build());
        String[] body = new String[1];

        await("the handler timer in /prometheus", () -> {
            body[0] = get(MANAGEMENT + "/prometheus");
            return Pattern.compile("verist_dispatch_handler_seconds_count\\{[^}]*kind=\"invoke\"[^}]*"
                    + "outcome=\"dispatched\"").matcher(body[0]).find();
        });

        assertThat(body[0]).contains("verist_outbox_pending", "verist_outbox_oldest_pending_age",
                "verist_outbox_failed", "verist_outbox_retries_waiting", "verist_outbox_leases_expired");
        assertThat(body[0].lines().filter(line -> line.startsWith("verist_")))
                .as("no run id in any label").noneMatch(line -> line.contains(runId));
    }

    private static long dispatched(MeterRegistry registry) {
        Timer timer = registry.find(MicrometerDispatchMetrics.HANDLER)
                .tags(MicrometerDispatchMetrics.KIND, "invoke", MicrometerDispatchMetrics.OUTCOME, "dispatched")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (Exception e) {
            return "";
        }
    }

    // DataSource, not the driver's class, in the signature: the class also loads inside the server, without the driver.
    private static DataSource database() {
        return OutsideDatabase.get();
    }


    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
