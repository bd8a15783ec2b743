package dev.verist.storage.pg.health.microprofile;

import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.health.OutboxGauges;
import dev.verist.storage.pg.health.Readiness;
import dev.verist.storage.pg.health.VeristHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The readiness check {@value #NAME}: {@link VeristHealth#readiness()} (database, schema, dispatcher) with the
 * outbox's numbers as data, counts only. On WildFly it is part of {@code /health/ready} on the management port,
 * on Payara of {@code /health/ready} on the HTTP port.
 */
@ApplicationScoped
@org.eclipse.microprofile.health.Readiness
public class VeristReadinessCheck implements HealthCheck {

    /** The check's name in the health response. */
    public static final String NAME = "verist";

    @Inject
    VeristHealth health;

    @Inject
    OutboxGauges gauges;

    /** For CDI. */
    protected VeristReadinessCheck() {
    }

    /**
     * UP or DOWN as {@link Readiness#up()}, with data {@code database} ({@code reachable}, {@code unreachable}),
     * {@code schema} (the latest migration when current, else {@code missing <objects>} or {@code unknown}),
     * {@code dispatcher} ({@code running}, {@code stopped}, {@code not_enabled}), the outbox's numbers when the
     * schema is current ({@code pending}, {@code oldestPendingAgeSeconds}, {@code failed}, {@code retriesWaiting},
     * {@code leasesExpired}), and {@code detail} when down.
     */
    @Override
    public HealthCheckResponse call() {
        Readiness readiness = health.readiness();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("database", readiness.databaseReachable() ? "reachable" : "unreachable");
        data.put("schema", schema(readiness));
        data.put("dispatcher", readiness.dispatcher().name().toLowerCase(Locale.ROOT));
        if (readiness.schemaCurrent()) {
            gauges.stats().ifPresent(stats -> outbox(stats, data));
        }
        if (!readiness.up()) {
            data.put("detail", readiness.detail());
        }
        // The response's constructor, not its builder: the builder needs an implementation's provider, which a
        // plain Java SE classpath does not have.
        return new HealthCheckResponse(NAME, readiness.up() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }

    private static String schema(Readiness readiness) {
        if (readiness.schemaCurrent()) {
            return PgSchema.latestMigration();
        }
        if (!readiness.databaseReachable()) {
            return "unknown";
        }
        return "missing " + String.join(", ", readiness.missingSchemaObjects());
    }

    private static void outbox(OutboxStats stats, Map<String, Object> data) {
        data.put("pending", stats.counts().get(OutboxStatus.PENDING));
        data.put("oldestPendingAgeSeconds", stats.oldestPendingAge().map(Duration::toSeconds).orElse(0L));
        data.put("failed", stats.counts().get(OutboxStatus.FAILED));
        data.put("retriesWaiting", stats.waitingRetries());
        data.put("leasesExpired", stats.expiredLeases());
    }
}
