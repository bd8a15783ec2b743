package dev.verist.storage.pg.health.micrometer;

import static dev.verist.storage.pg.dispatch.scenarios.Awaits.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnEmit;
import dev.verist.storage.pg.dispatch.OnInvoke;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import dev.verist.storage.pg.health.DeliveryOutcome;
import dev.verist.storage.pg.health.DispatchMetrics;
import dev.verist.storage.pg.health.HealthEnvironment;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer adapter in Weld SE with Narayana, on the real database: the gauges on the application's registry,
 * the handler timer by kind and outcome after a dispatcher run, no id in any tag, and nothing without a registry.
 */
class MicrometerDispatchMetricsTest {

    private static final RetryPolicy TWICE = new RetryPolicy(2, Duration.ofMillis(10), 1, Duration.ofMillis(10), false);
    private static final Set<String> TAG_VALUES = Set.of("invoke", "fanout", "emit", "review", "suspend",
            "dispatched", "failed_attempt", "dead_letter", "lease_lost", "unhandled");

    private HealthEnvironment env;

    @BeforeEach
    void environment() throws Exception {
        env = new HealthEnvironment();
        Registry.meters = new SimpleMeterRegistry();
        Recording.deliveries.clear();
    }

    @AfterEach
    void close() throws Exception {
        env.close();
    }

    @Test
    void gaugesOnTheApplicationsRegistryReadTheOutbox() {
        commit("run-gauges", Command.invoke("nobody-takes-this", Map.of()), Command.emit("nor-this", Map.of()));
        env.container(MicrometerDispatchMetrics.class, Registry.class);

        MeterRegistry meters = Registry.meters;
        assertThat(meters.get(MicrometerDispatchMetrics.PENDING).gauge().value()).isEqualTo(2);
        assertThat(meters.get(MicrometerDispatchMetrics.OLDEST_PENDING_AGE).gauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(meters.get(MicrometerDispatchMetrics.FAILED).gauge().value()).isZero();
        assertThat(meters.get(MicrometerDispatchMetrics.RETRIES_WAITING).gauge().value()).isZero();
        assertThat(meters.get(MicrometerDispatchMetrics.LEASES_EXPIRED).gauge().value()).isZero();
    }

    @Test
    void handlerTimerCountsDeliveriesByKindAndOutcome() {
        WeldContainer container = env.containerWithDispatcher(MicrometerDispatchMetrics.class, Registry.class,
                Works.class, Fails.class, OnAnyTopic.class);
        commit("run-works", Command.invoke("works", Map.of("n", 1)), Command.invoke("works", Map.of("n", 2)),
                Command.invoke("works", Map.of("n", 3)));
        commit("run-fails", Command.invoke("fails", Map.of()));
        commit("run-emits", Command.emit("news", Map.of()));
        commit("run-unhandled", Command.fanout("nobody", List.of(1, 2)));
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();

        awaitTrue("every delivery ended", () -> dispatcher.stats().dispatched() == 4
                && dispatcher.stats().deadLetters() == 1 && !dispatcher.stats().unhandled().isEmpty());

        assertThat(count("invoke", DeliveryOutcome.DISPATCHED)).isEqualTo(3);
        assertThat(count("invoke", DeliveryOutcome.FAILED_ATTEMPT)).isEqualTo(1);
        assertThat(count("invoke", DeliveryOutcome.DEAD_LETTER)).isEqualTo(1);
        assertThat(count("emit", DeliveryOutcome.DISPATCHED)).isEqualTo(1);
        assertThat(count("fanout", DeliveryOutcome.UNHANDLED)).isEqualTo(1);
        assertThat(timer("invoke", DeliveryOutcome.DISPATCHED).totalTime(TimeUnit.MILLISECONDS))
                .as("three handlers of at least 5 ms").isGreaterThanOrEqualTo(15);
        assertThat(Registry.meters.find(MicrometerDispatchMetrics.HANDLER).timers()).hasSize(5);
    }

    @Test
    void noTagValueCarriesAnOutboxIdOrARunId() throws Exception {
        WeldContainer container = env.containerWithDispatcher(MicrometerDispatchMetrics.class, Registry.class,
                Works.class, Fails.class, OnAnyTopic.class);
        commit("run-tag-check-1", Command.invoke("works", Map.of()), Command.emit("news", Map.of()));
        commit("run-tag-check-2", Command.invoke("fails", Map.of()));
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();
        awaitTrue("every delivery ended", () -> dispatcher.stats().dispatched() == 2
                && dispatcher.stats().deadLetters() == 1);

        List<String> ids = new ArrayList<>();
        try (Connection c = env.plainPool().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id::text, run_id FROM verist_outbox")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
                ids.add(rs.getString(2));
            }
        }
        List<Tag> tags = new ArrayList<>();
        for (Meter meter : Registry.meters.getMeters()) {
            tags.addAll(meter.getId().getTags());
        }

        assertThat(ids).hasSize(6);
        assertThat(tags).isNotEmpty().allSatisfy(tag -> {
            assertThat(tag.getKey()).isIn(MicrometerDispatchMetrics.KIND, MicrometerDispatchMetrics.OUTCOME);
            assertThat(tag.getValue()).isIn(TAG_VALUES);
            assertThat(ids).noneSatisfy(id -> assertThat(tag.getValue()).contains(id));
        });
    }

    @Test
    void withoutARegistryTheDispatcherCarriesOutItsCommandsAndNothingIsRecorded() {
        WeldContainer container = env.containerWithDispatcher(MicrometerDispatchMetrics.class, Works.class);
        commit("run-no-registry", Command.invoke("works", Map.of()));
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();

        awaitTrue("carried out", () -> dispatcher.stats().dispatched() == 1);

        assertThat(container.select(MicrometerDispatchMetrics.class).isResolvable()).isTrue();
        assertThat(dispatcher.stats().tickFailures()).isZero();
        assertThat(dispatcher.stats().failedAttempts()).isZero();
    }

    @Test
    void everyDispatchMetricsBeanIsToldOfEachDeliveryAndOneThatThrowsChangesNothing() {
        WeldContainer container = env.containerWithDispatcher(MicrometerDispatchMetrics.class, Registry.class,
                Recording.class, Throwing.class, Works.class);
        commit("run-own-metrics", Command.invoke("works", Map.of("n", 1)), Command.invoke("works", Map.of("n", 2)));
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();

        awaitTrue("carried out", () -> dispatcher.stats().dispatched() == 2);
        awaitTrue("recorded", () -> Recording.deliveries.size() == 2);

        assertThat(Recording.deliveries).containsOnly("invoke/dispatched");
        assertThat(count("invoke", DeliveryOutcome.DISPATCHED)).isEqualTo(2);
        assertThat(dispatcher.stats().tickFailures()).isZero();
    }

    private void commit(String runId, Command... commands) {
        env.store().commit(Commit.builder("metrics", runId, "s").commands(List.of(commands)).build());
    }

    private static long count(String kind, DeliveryOutcome outcome) {
        Timer timer = Registry.meters.find(MicrometerDispatchMetrics.HANDLER)
                .tags(MicrometerDispatchMetrics.KIND, kind, MicrometerDispatchMetrics.OUTCOME, outcome.tag()).timer();
        return timer == null ? 0 : timer.count();
    }

    private static Timer timer(String kind, DeliveryOutcome outcome) {
        return Registry.meters.get(MicrometerDispatchMetrics.HANDLER)
                .tags(MicrometerDispatchMetrics.KIND, kind, MicrometerDispatchMetrics.OUTCOME, outcome.tag()).timer();
    }

    // ------------------------------------------------------------------------------------------ beans

    /** The application's registry, as a server's micrometer integration would make it injectable. */
    @ApplicationScoped
    static class Registry {
        static volatile MeterRegistry meters;

        @Produces
        MeterRegistry meters() {
            return meters;
        }
    }

    @ApplicationScoped
    @OnInvoke("works")
    static class Works implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) throws InterruptedException {
            Thread.sleep(5);
        }
    }

    @ApplicationScoped
    @OnInvoke("fails")
    static class Fails implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
            throw new IllegalStateException("fails on purpose");
        }

        @Override
        public RetryPolicy retryPolicy() {
            return TWICE;
        }
    }

    @ApplicationScoped
    @OnEmit(OutboxDispatcher.ANY)
    static class OnAnyTopic implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
        }
    }

    /** An application's own metrics. */
    @ApplicationScoped
    static class Recording implements DispatchMetrics {
        static final List<String> deliveries = new CopyOnWriteArrayList<>();

        @Override
        public void delivered(String kind, DeliveryOutcome outcome, long handlerNanos) {
            deliveries.add(kind + "/" + outcome.tag());
        }
    }

    /** An application's metrics that fail at every call. */
    @ApplicationScoped
    static class Throwing implements DispatchMetrics {
        @Override
        public void delivered(String kind, DeliveryOutcome outcome, long handlerNanos) {
            throw new IllegalStateException("metrics down");
        }
    }
}
