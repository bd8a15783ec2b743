package dev.verist.storage.pg.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.health.HealthEnvironment;
import jakarta.enterprise.inject.Any;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MicroProfile Health adapter in Weld SE with Narayana, on the real database. */
class VeristReadinessCheckTest {

    private HealthEnvironment env;

    @BeforeEach
    void environment() throws Exception {
        env = new HealthEnvironment();
    }

    @AfterEach
    void close() throws Exception {
        env.close();
    }

    @Test
    void readinessCheckNamedVeristIsUpWithTheDatabaseSchemaDispatcherAndOutboxCounts() {
        env.store().commit(Commit.builder("mp", "run-mp-health-17", "s")
                .command(Command.invoke("waits", Map.of())).build());
        WeldContainer container = env.container(VeristReadinessCheck.class);

        HealthCheckResponse response = readinessCheck(container).call();

        assertThat(response.getName()).isEqualTo("verist");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        Map<String, Object> data = response.getData().orElseThrow();
        assertThat(data).containsEntry("database", "reachable").containsEntry("schema", "V4")
                .containsEntry("dispatcher", "not_enabled").containsEntry("pending", 1L)
                .containsEntry("failed", 0L).containsEntry("retriesWaiting", 0L).containsEntry("leasesExpired", 0L)
                .containsKey("oldestPendingAgeSeconds").doesNotContainKey("detail");
        // Counts and fixed words only: no entry, run or step of the outbox.
        assertThat(data.keySet()).containsExactly("database", "schema", "dispatcher", "pending",
                "oldestPendingAgeSeconds", "failed", "retriesWaiting", "leasesExpired");
        assertThat(data.values()).allSatisfy(value -> assertThat(value).isInstanceOfAny(String.class, Long.class));
        assertThat(data.values()).filteredOn(String.class::isInstance)
                .noneSatisfy(value -> assertThat((String) value).containsAnyOf("run-mp-health-17", "waits"));
    }

    @Test
    void readinessCheckOfAV1DatabaseIsDownWithTheMissingObjectsAndNoOutboxCounts() throws Exception {
        env.downgradeToV1();
        WeldContainer container = env.container(VeristReadinessCheck.class);

        HealthCheckResponse response = readinessCheck(container).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        Map<String, Object> data = response.getData().orElseThrow();
        assertThat(data).containsEntry("database", "reachable")
                .containsEntry("schema", "missing verist_outbox.lease_token, verist_outbox.next_attempt_at,"
                        + " verist_outbox_lease_token_seq, verist_commits, verist_events_run_idx.id")
                .doesNotContainKey("pending");
        assertThat((String) data.get("detail")).contains("migration V4");
    }

    @Test
    void readinessCheckIsDownWhenTheDatabaseCannotBeReached() {
        env.useUnreachableDatabase();
        WeldContainer container = env.container(VeristReadinessCheck.class);

        HealthCheckResponse response = readinessCheck(container).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("database", "unreachable")
                .containsEntry("schema", "unknown");
    }

    // As a MicroProfile Health implementation finds it: a HealthCheck bean qualified @Readiness.
    private static HealthCheck readinessCheck(WeldContainer container) {
        List<HealthCheck> checks = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).stream().toList();
        assertThat(checks).hasSize(1);
        assertThat(container.select(HealthCheck.class, Any.Literal.INSTANCE).stream()).hasSize(1);
        return checks.get(0);
    }
}
