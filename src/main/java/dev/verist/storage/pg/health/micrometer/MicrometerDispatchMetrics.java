package dev.verist.storage.pg.health.micrometer;

import static java.lang.System.Logger.Level.INFO;

import dev.verist.storage.pg.health.DeliveryOutcome;
import dev.verist.storage.pg.health.DispatchMetrics;
import dev.verist.storage.pg.health.OutboxGauges;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * The outbox's gauges and the dispatcher's handler timer on the application's {@code MeterRegistry} bean (on
 * WildFly, the one its {@code micrometer} subsystem provides). Without a resolvable registry it registers and
 * records nothing. Tags carry only bounded values: the command's kind and the delivery's outcome, never an id.
 *
 * <p>Meters are registered through the registry's own {@code gauge(...)} and {@code timer(...)}, not through meter
 * builders: WildFly's per-deployment registry tags and exports only what goes through those.
 */
@ApplicationScoped
public class MicrometerDispatchMetrics implements DispatchMetrics {

    /** Gauge: pending entries (due or waiting for a retry). */
    public static final String PENDING = "verist.outbox.pending";
    /** Gauge, seconds: how long the oldest due pending entry has waited; 0 when none is due. */
    public static final String OLDEST_PENDING_AGE = "verist.outbox.oldest.pending.age";
    /** Gauge: dead letters ({@code failed} entries). */
    public static final String FAILED = "verist.outbox.failed";
    /** Gauge: pending entries whose failed attempt is not due again yet. */
    public static final String RETRIES_WAITING = "verist.outbox.retries.waiting";
    /** Gauge: leased entries whose lease has expired. */
    public static final String LEASES_EXPIRED = "verist.outbox.leases.expired";
    /** Timer: how long handlers ran, tagged {@value #KIND} and {@value #OUTCOME}. */
    public static final String HANDLER = "verist.dispatch.handler";
    /** Tag of {@value #HANDLER}: the command's type ({@code invoke}, {@code fanout}, {@code emit}, ...). */
    public static final String KIND = "kind";
    /** Tag of {@value #HANDLER}: {@link DeliveryOutcome#tag()}. */
    public static final String OUTCOME = "outcome";

    private static final System.Logger LOG = System.getLogger(MicrometerDispatchMetrics.class.getName());
    private static final List<String> NAMES =
            List.of(PENDING, OLDEST_PENDING_AGE, FAILED, RETRIES_WAITING, LEASES_EXPIRED, HANDLER);
    private static final int OUTCOMES = DeliveryOutcome.values().length;

    @Inject
    Instance<MeterRegistry> registries;

    @Inject
    OutboxGauges gauges;

    private volatile MeterRegistry registry;
    // Whether the registry was looked for: at startup, or at the first delivery if that comes first.
    private volatile boolean resolved;
    // Per command kind, a timer per outcome (by ordinal), each made on first use: no lookup in the registry, and no
    // allocation, once a pair has been seen.
    private final ConcurrentMap<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

    /** For CDI. */
    protected MicrometerDispatchMetrics() {
    }

    // With the application, so that the gauges exist before any scrape, dispatcher or not. An observer, not
    // @PostConstruct: Payara's annotation scanning loads classes with lifecycle annotations whether or not they are
    // beans, and logs an error for this one where Micrometer is missing.
    void onStartup(@Observes Startup startup) {
        register();
    }

    // The application stops: a registry that outlives it (a server's) must not keep gauges that call into it.
    void onShutdown(@Observes Shutdown shutdown) {
        remove();
    }

    private synchronized void register() {
        if (resolved) {
            return;
        }
        resolved = true;
        if (!registries.isResolvable()) {
            LOG.log(INFO, "No MeterRegistry bean {0}: the verist meters are not registered",
                    registries.isAmbiguous() ? "(several are, and none is chosen)" : "is available");
            return;
        }
        MeterRegistry meters = registries.get();
        gauge(meters, PENDING, OutboxGauges::pending);
        gauge(meters, OLDEST_PENDING_AGE, OutboxGauges::oldestPendingAgeSeconds);
        gauge(meters, FAILED, OutboxGauges::failed);
        gauge(meters, RETRIES_WAITING, OutboxGauges::waitingRetries);
        gauge(meters, LEASES_EXPIRED, OutboxGauges::expiredLeases);
        registry = meters;
    }

    private synchronized void remove() {
        MeterRegistry meters = registry;
        registry = null;
        if (meters == null) {
            return;
        }
        for (String name : NAMES) {
            for (Meter meter : meters.find(name).meters()) {
                meters.remove(meter);
            }
        }
        timers.clear();
    }

    /** Records the handler's time in {@value #HANDLER}, tagged with the kind and outcome; a no-op without a registry. */
    @Override
    public void delivered(String kind, DeliveryOutcome outcome, long handlerNanos) {
        if (!resolved) {
            register();
        }
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        AtomicReferenceArray<Timer> byOutcome = timers.get(kind);
        if (byOutcome == null) {
            byOutcome = timers.computeIfAbsent(kind, k -> new AtomicReferenceArray<>(OUTCOMES));
        }
        Timer timer = byOutcome.get(outcome.ordinal());
        if (timer == null) {
            // Two threads may both get here: the registry hands both the same timer.
            timer = meters.timer(HANDLER, Tags.of(KIND, kind, OUTCOME, outcome.tag()));
            byOutcome.set(outcome.ordinal(), timer);
        }
        timer.record(handlerNanos, TimeUnit.NANOSECONDS);
    }

    private void gauge(MeterRegistry meters, String name, ToDoubleFunction<OutboxGauges> value) {
        meters.gauge(name, Tags.empty(), gauges, value);
    }
}
