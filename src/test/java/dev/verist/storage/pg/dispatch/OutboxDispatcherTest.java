package dev.verist.storage.pg.dispatch;

import static dev.verist.storage.pg.dispatch.scenarios.Awaits.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-container dispatcher in Weld SE with Narayana: handlers, transactions per entry, retries, shutdown. */
class OutboxDispatcherTest {

    private static final RetryPolicy THRICE = new RetryPolicy(3, Duration.ofMillis(100), 2, Duration.ofSeconds(1), false);

    private DispatchEnvironment env;
    private final List<WeldContainer> containers = new ArrayList<>();

    @BeforeEach
    void environment() throws SQLException {
        env = new DispatchEnvironment();
        Handlers.reset();
    }

    @AfterEach
    void close() {
        containers.forEach(WeldContainer::shutdown);
        env.close();
    }

    // ------------------------------------------------------------------------------------------ delivery

    @Test
    void everyCommittedCommandIsCarriedOutByItsHandlerExactlyOnce() throws Exception {
        List<String> ids = commitInvokes("record", 20, 5);
        OutboxDispatcher dispatcher = start(env.settings().workers(2));

        awaitStatus(ids, "dispatched");
        awaitTrue("all counted", () -> dispatcher.stats().dispatched() == 100);

        assertThat(deliveriesPerEntry("record")).hasSize(100).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(deliveriesPerEntry("record").keySet()).containsExactlyInAnyOrderElementsOf(longs(ids));
        assertThat(dispatcher.stats().failedAttempts()).isZero();
    }

    @Test
    void twoDispatchersOnOneDatabaseCarryOutEachCommandOnce() throws Exception {
        OutboxDispatcher first = start("first", env.settings().leaseOwner("first").batchSize(3));
        OutboxDispatcher second = start("second", env.settings().leaseOwner("second").batchSize(3));
        List<String> ids = commitInvokes("record", 40, 5); // once both run, so that both can take part

        awaitStatus(ids, "dispatched");
        awaitTrue("both counted", () -> first.stats().dispatched() + second.stats().dispatched() == 200);

        assertThat(deliveriesPerEntry("record")).hasSize(200).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(first.stats().dispatched()).isPositive();
        assertThat(second.stats().dispatched()).isPositive();
    }

    @Test
    void handlerRunsWithARequestContextAndTheEntryItCarriesOut() throws Exception {
        List<String> ids = commitInvokes("scoped", 1, 1);
        start(env.settings());

        awaitStatus(ids, "dispatched");

        assertThat(Handlers.seen).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(ids.get(0));
            assertThat(entry.status()).isEqualTo(OutboxStatus.LEASED);
            assertThat(entry.leaseToken()).isPositive();
            assertThat(entry.command()).isEqualTo(Command.invoke("scoped", Map.of("n", 0)));
        });
        assertThat(deliveriesPerEntry("scoped")).containsOnlyKeys(Long.parseLong(ids.get(0)));
    }

    @Test
    void eachEntryRunsInARequestContextOfItsOwnEndedAfterIt() throws Exception {
        List<String> ids = commitInvokes("scoped", 1, 3);
        start(env.settings().workers(1));

        awaitStatus(ids, "dispatched");

        assertThat(Handlers.requestOf).containsOnlyKeys(ids);
        assertThat(Set.copyOf(Handlers.requestOf.values())).as("one request-scoped instance per entry").hasSize(3);
        awaitTrue("every request context ended", () -> Handlers.requestsEnded.get() == 3);
    }

    @Test
    void withATransactionPerBatchTheHandlersOfABatchShareOneRequestContext() throws Exception {
        List<String> ids = commitInvokes("scoped", 1, 5);
        start(env.settings().workers(1).transactionPerBatch(true));

        awaitStatus(ids, "dispatched");

        assertThat(Handlers.requestOf).containsOnlyKeys(ids);
        assertThat(Set.copyOf(Handlers.requestOf.values())).as("the batch's one request context").hasSize(1);
        awaitTrue("its request context ended", () -> Handlers.requestsEnded.get() == 1);
    }

    @Test
    void handlerForAnyTopicTakesTopicsNoOtherHandlerNames() throws Exception {
        String id = commitEmit("unnamed-topic");
        start(env.settings());

        awaitStatus(List.of(id), "dispatched");

        assertThat(deliveriesPerEntry("any-topic")).containsOnlyKeys(Long.parseLong(id));
    }

    @Test
    void commitThroughTheStoreBeanWakesTheDispatcherLongBeforeItsNextPoll() throws Exception {
        // Without notifications: what wakes it is the store bean's event in this container.
        OutboxDispatcher dispatcher = start(env.settings().pollInterval(Duration.ofMinutes(10)).notifications(false));
        Thread.sleep(200); // the poll at start has found nothing; the next is ten minutes away
        ContainerPgRunStore bean = containers.get(0).select(ContainerPgRunStore.class).get();

        bean.commit(Commit.builder("wf", "woken", "s").command(Command.invoke("record", Map.of())).build());

        awaitTrue("carried out without a poll", () -> dispatcher.stats().dispatched() == 1);
        assertThat(deliveriesPerEntry("record")).hasSize(1);
    }

    @Test
    void withATransactionPerBatchEachBatchCommitsOnceAndEachCommandIsCarriedOutOnce() throws Exception {
        List<String> ids = commitInvokes("record", 4, 5);
        OutboxDispatcher dispatcher = start(env.settings().workers(1).transactionPerBatch(true));

        awaitStatus(ids, "dispatched");
        awaitTrue("all counted", () -> dispatcher.stats().dispatched() == 20);

        assertThat(deliveriesPerEntry("record")).hasSize(20).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(count("SELECT count(DISTINCT xmin::text) FROM " + DispatchEnvironment.DELIVERIES))
                .as("one transaction per batch of 5").isEqualTo(4);
    }

    @Test
    void withATransactionPerBatchAFailingHandlerRollsItsBatchBackAndTheOthersAreCarriedOutAlone() throws Exception {
        String failing = commitEmit("always-fails");
        List<String> ids = commitInvokes("record", 1, 4);
        OutboxDispatcher dispatcher = start(env.settings().workers(1).transactionPerBatch(true));

        awaitStatus(ids, "dispatched");
        awaitStatus(List.of(failing), "failed");

        assertThat(deliveriesPerEntry("record")).as("the batch's first run rolled back").hasSize(4)
                .allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(deliveriesPerEntry("always-fails")).isEmpty();
        assertThat(outboxRow(failing)).containsEntry("failures", 3);
        awaitTrue("all counted", () -> dispatcher.stats().dispatched() == 4 && dispatcher.stats().deadLetters() == 1);
    }

    // ------------------------------------------------------------------------------------------ failures

    @Test
    void failingHandlerIsRetriedWithBackoffThenADeadLetterAndEachAttemptsWorkRollsBack() throws Exception {
        String id = commitEmit("always-fails");
        OutboxDispatcher dispatcher = start(env.settings());

        awaitStatus(List.of(id), "failed");
        awaitTrue("the dead letter counted", () -> dispatcher.stats().deadLetters() == 1);

        Map<String, Object> row = outboxRow(id);
        assertThat(row).containsEntry("failures", 3).containsEntry("lease_owner", null);
        assertThat((String) row.get("last_error")).contains("java.lang.Exception: no luck");
        assertThat(deliveriesPerEntry("always-fails")).as("every attempt rolled back").isEmpty();
        assertThat(Handlers.attempts).hasSize(3);
        // The handler's policy: 100 ms, then 200 ms between attempts, by the database clock.
        assertThat(Duration.between(Handlers.attempts.get(0), Handlers.attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(Handlers.attempts.get(1), Handlers.attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(dispatcher.stats().failedAttempts()).isEqualTo(3);
        assertThat(dispatcher.stats().deadLetters()).isEqualTo(1);
        assertThat(dispatcher.stats().dispatched()).isZero();
    }

    @Test
    void handlerWorkRollsBackWhenItsLeaseWasTakenOverMeanwhile() throws Exception {
        List<String> ids = commitInvokes("slow", 1, 1);
        Handlers.onSlow = entry -> {
            awaitTrue("lease expired", () -> env.store.outboxStats().expiredLeases() == 1);
            Handlers.thief = env.store.leaseOutbox("thief", 10).get(0);
        };
        // One worker: no second tick may take the expired entry before the thief does.
        OutboxDispatcher dispatcher = start(env.settings().workers(1).leaseDuration(Duration.ofMillis(300)));

        awaitTrue("the lease lost", () -> dispatcher.stats().leasesLost() == 1);

        assertThat(deliveriesPerEntry("slow")).as("the handler's insert rolled back").isEmpty();
        assertThat(outboxRow(ids.get(0))).containsEntry("status", "leased").containsEntry("lease_owner", "thief")
                .containsEntry("failures", 0);
        env.store.markDispatched(Handlers.thief);
        assertThat(dispatcher.stats().dispatched()).isZero();
    }

    @Test
    void commandWithoutHandlerStaysPendingIsCountedAndReportedOnce() throws Exception {
        List<String> ids = commitInvokes("nobody", 1, 1);
        List<LogRecord> logged = captureLog();
        OutboxDispatcher dispatcher = start(env.settings().unhandledDelay(Duration.ofMillis(50)));

        awaitTrue("three leases of the unhandled entry",
                () -> dispatcher.stats().unhandled().getOrDefault("invoke:nobody", 0L) >= 3);

        Map<String, Object> row = outboxRow(ids.get(0));
        assertThat(row.get("status")).isIn("pending", "leased");
        assertThat(row).containsEntry("failures", 0);
        assertThat(logged).filteredOn(r -> r.getMessage().startsWith("No CommandHandler")).hasSize(1);
        assertThat(dispatcher.stats().failedAttempts()).isZero();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void leasesOfACrashedDispatcherExpireAndAreCarriedOutOnceByAnother() throws Exception {
        List<String> ids = commitInvokes("record", 1, 5);
        // A node that leased the batch and died before carrying any of it out.
        assertThat(env.store.leaseOutbox("crashed-node", 10, Duration.ofMillis(300))).hasSize(5);
        OutboxDispatcher dispatcher = start(env.settings());

        awaitStatus(ids, "dispatched");

        awaitTrue("all counted", () -> dispatcher.stats().dispatched() == 5);
        assertThat(deliveriesPerEntry("record")).hasSize(5).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(count("SELECT count(*) FROM verist_outbox WHERE failures > 0")).isZero();
    }

    @Test
    void stoppingLetsTheRunningHandlerFinishAndReleasesTheEntriesNotStarted() throws Exception {
        List<String> ids = commitInvokes("blocking", 1, 5);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Handlers.onBlocking = entry -> {
            started.countDown();
            finish.await();
        };
        OutboxDispatcher dispatcher = start(env.settings().workers(1));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Future<?> stopping = env.executor().submit(dispatcher::stop);
        awaitTrue("not running", () -> !dispatcher.running());
        finish.countDown();
        stopping.get(10, TimeUnit.SECONDS);

        assertThat(outboxRow(ids.get(0))).containsEntry("status", "dispatched");
        for (String id : ids.subList(1, 5)) {
            assertThat(outboxRow(id)).containsEntry("status", "pending").containsEntry("lease_owner", null)
                    .containsEntry("failures", 0).containsEntry("next_attempt_at", null);
        }
        Thread.sleep(300);
        assertThat(Handlers.blockingCalls).hasValue(1);
    }

    @Test
    void withoutSettingsTheDispatcherDoesNotStart() throws Exception {
        List<String> ids = commitInvokes("record", 1, 1);
        WeldContainer container = env.container("off", Handlers.Record.class);
        containers.add(container);
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();

        Thread.sleep(300);

        assertThat(dispatcher.running()).isFalse();
        assertThat(outboxRow(ids.get(0))).containsEntry("status", "pending");
    }

    @Test
    void twoHandlersOnOneRouteFailTheStartNamingBoth() {
        JavaSeSettings.current = env.settings().build();
        assertThatThrownBy(() -> containers.add(env.container("dup", JavaSeSettings.class, Handlers.Record.class,
                Handlers.RecordAgain.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two CommandHandler beans for invoke:record")
                .hasMessageContaining(Handlers.Record.class.getName())
                .hasMessageContaining(Handlers.RecordAgain.class.getName());
    }

    @Test
    void badSettingsAreInvalidRequestsNamingTheField() {
        assertThatThrownBy(() -> DispatcherSettings.builder().batchSize(0)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("batchSize"));
        assertThatThrownBy(() -> DispatcherSettings.builder().workers(-1)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("workers"));
        assertThatThrownBy(() -> DispatcherSettings.builder().pollInterval(Duration.ZERO)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("pollInterval"));
        assertThatThrownBy(() -> DispatcherSettings.builder().leaseDuration(null)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("leaseDuration"));
        assertThatThrownBy(() -> DispatcherSettings.builder().unhandledDelay(Duration.ofSeconds(-1)))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("unhandledDelay"));
        assertThatThrownBy(() -> DispatcherSettings.builder().leaseOwner(" ")).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("leaseOwner"));
        assertThatThrownBy(() -> DispatcherSettings.builder().retryPolicy(null)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("retryPolicy"));
    }

    // ------------------------------------------------------------------------------------------ beans

    /** Test hooks a handler calls. */
    @FunctionalInterface
    interface Hook {
        void run(OutboxEntry entry) throws Exception;
    }

    /** The handler beans; each records its work in the delivery's transaction. */
    static final class Handlers {
        static final List<OutboxEntry> seen = new CopyOnWriteArrayList<>();
        static final List<Instant> attempts = new CopyOnWriteArrayList<>();
        static final Map<String, Integer> requestOf = new ConcurrentHashMap<>();
        static final AtomicInteger requestsEnded = new AtomicInteger();
        static final java.util.concurrent.atomic.AtomicInteger blockingCalls = new java.util.concurrent.atomic.AtomicInteger();
        static volatile Hook onSlow;
        static volatile Hook onBlocking;
        static volatile OutboxEntry thief;

        static void reset() {
            seen.clear();
            attempts.clear();
            requestOf.clear();
            requestsEnded.set(0);
            blockingCalls.set(0);
            onSlow = null;
            onBlocking = null;
            thief = null;
        }

        @ApplicationScoped
        @OnInvoke("record")
        static class Record implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) throws SQLException {
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "record");
            }
        }

        @ApplicationScoped
        @OnInvoke("record")
        static class RecordAgain implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) {
            }
        }

        @ApplicationScoped
        @OnInvoke("scoped")
        static class Scoped implements CommandHandler {
            @Inject
            PerRequest perRequest;

            @Override
            public void handle(OutboxEntry entry) throws SQLException {
                requestOf.put(entry.id(), perRequest.id());
                seen.add(entry);
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "scoped");
            }
        }

        @RequestScoped
        static class PerRequest {
            private static final AtomicInteger CREATED = new AtomicInteger();
            private int id;

            @PostConstruct
            void created() {
                id = CREATED.incrementAndGet();
            }

            @PreDestroy
            void ended() {
                requestsEnded.incrementAndGet();
            }

            int id() {
                return id;
            }
        }

        @ApplicationScoped
        @OnInvoke("slow")
        static class Slow implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) throws Exception {
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "slow");
                onSlow.run(entry);
            }
        }

        @ApplicationScoped
        @OnInvoke("blocking")
        static class Blocking implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) throws Exception {
                if (blockingCalls.incrementAndGet() == 1) {
                    onBlocking.run(entry);
                }
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "blocking");
            }
        }

        @ApplicationScoped
        @OnEmit("always-fails")
        static class AlwaysFails implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) throws Exception {
                attempts.add(Instant.now());
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "always-fails");
                throw new Exception("no luck");
            }

            @Override
            public RetryPolicy retryPolicy() {
                return THRICE;
            }
        }

        @ApplicationScoped
        @OnEmit(OutboxDispatcher.ANY)
        static class AnyTopic implements CommandHandler {
            @Override
            public void handle(OutboxEntry entry) throws SQLException {
                DispatchEnvironment.recordDelivery(Long.parseLong(entry.id()), "any-topic");
            }
        }

        static final Class<?>[] ALL = {Record.class, Scoped.class, PerRequest.class, Slow.class, Blocking.class,
                AlwaysFails.class, AnyTopic.class};
    }

    // ------------------------------------------------------------------------------------------ other nodes

    // env.store is a plain store: like another node's, it fires no event in this container, it only notifies.

    @Test
    void commitOnAnotherNodeWakesTheDispatcherLongBeforeItsNextPoll() throws Exception {
        startListening(env.settings().pollInterval(Duration.ofMinutes(10)));

        List<String> ids = commitInvokes("record", 1, 1);

        awaitStatus(ids, "dispatched");
        assertThat(deliveriesPerEntry("record")).hasSize(1);
    }

    @Test
    void aBurstOfCommitsOnAnotherNodeIsCarriedOutWholeThoughFewOfThemNotify() throws Exception {
        startListening(env.settings().pollInterval(Duration.ofMinutes(10)).batchSize(5));

        List<String> ids = commitInvokes("record", 40, 1);

        awaitStatus(ids, "dispatched");
        assertThat(deliveriesPerEntry("record")).hasSize(40).allSatisfy((id, n) -> assertThat(n).isOne());
    }

    @Test
    void requeueOnAnotherNodeWakesTheDispatcher() throws Exception {
        List<String> ids = commitInvokes("record", 1, 1);
        env.store.markFailed(env.store.leaseOutbox("operator", 1).get(0), "down", RetryPolicy.none());
        startListening(env.settings().pollInterval(Duration.ofMinutes(10)));

        assertThat(env.store.requeue(ids.get(0))).isTrue();

        awaitStatus(ids, "dispatched");
    }

    @Test
    void theDispatcherListensAgainAfterItsConnectionIsKilledAndIsWokenThen() throws Exception {
        OutboxDispatcher dispatcher = startListening(env.settings().pollInterval(Duration.ofMinutes(10)));
        long killed = listeningBackend();

        count("SELECT count(pg_terminate_backend(?))", (int) killed);

        awaitTrue("listening on another connection", () -> dispatcher.listening() && listeningBackend() != killed
                && listeningBackend() != 0);
        sleep(200);
        List<String> ids = commitInvokes("record", 1, 1);
        awaitStatus(ids, "dispatched");
    }

    @Test
    void theListeningConnectionComesFromTheDataSourceTheSettingsName() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        DataSource base = DispatchEnvironment.jta.dataSource;
        DataSource counting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        opened.incrementAndGet();
                    }
                    return method.invoke(base, args);
                });
        startListening(env.settings().pollInterval(Duration.ofMinutes(10)).notificationDataSource(counting));

        List<String> ids = commitInvokes("record", 1, 1);

        awaitStatus(ids, "dispatched");
        assertThat(opened).hasValue(1);
    }

    @Test
    void withNotificationsOffNothingListensAndACommitOnAnotherNodeWaitsForThePoll() throws Exception {
        OutboxDispatcher dispatcher = start(env.settings().pollInterval(Duration.ofMinutes(10)).notifications(false));
        Thread.sleep(300); // the poll at start has run

        List<String> ids = commitInvokes("record", 1, 1);
        Thread.sleep(1000);

        assertThat(dispatcher.listening()).isFalse();
        assertThat(listeningBackend()).isZero();
        assertThat(outboxRow(ids.get(0))).containsEntry("status", "pending");
        dispatcher.wake(); // what the poll would do
        awaitStatus(ids, "dispatched");
    }

    @Test
    void stoppingTheDispatcherEndsItsListening() throws Exception {
        OutboxDispatcher dispatcher = startListening(env.settings());
        assertThat(listeningBackend()).as("its listening backend before the stop").isNotZero();

        dispatcher.stop();

        assertThat(dispatcher.listening()).isFalse();
        assertThat(listeningBackend()).isZero();
    }

    @Test
    void stoppingEndsTheListeningEvenWhenTheExecutorNoLongerRunsTasks() throws Exception {
        OutboxDispatcher dispatcher = startListening(env.settings());
        assertThat(listeningBackend()).as("its listening backend before the stop").isNotZero();
        env.executor().shutdownNow(); // as a server suspends its executors before it undeploys

        dispatcher.stop();

        assertThat(listeningBackend()).isZero();
    }

    private OutboxDispatcher startListening(DispatcherSettings.Builder settings) {
        OutboxDispatcher dispatcher = start(settings);
        awaitTrue("listening", dispatcher::listening);
        sleep(200); // past the look for due entries that comes with starting and with listening
        return dispatcher;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    // The server process holding a LISTEN on the outbox channel, or 0.
    private static long listeningBackend() {
        // This environment's connections carry its schema as their application name: another suite's listener
        // on the same database is not this dispatcher's.
        return count("SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query = 'LISTEN verist_outbox' AND application_name = ? AND pid <> pg_backend_pid()",
                DispatchEnvironment.jta.schema);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private OutboxDispatcher start(DispatcherSettings.Builder settings) {
        return start("dispatcher", settings);
    }

    private OutboxDispatcher start(String id, DispatcherSettings.Builder settings) {
        JavaSeSettings.current = settings.build();
        List<Class<?>> beans = new ArrayList<>(List.of(Handlers.ALL));
        beans.add(JavaSeSettings.class);
        WeldContainer container = env.container(id, beans.toArray(Class<?>[]::new));
        containers.add(container);
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();
        assertThat(dispatcher.running()).as("started by Startup").isTrue();
        return dispatcher;
    }

    private List<String> commitInvokes(String step, int runs, int perRun) {
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Commit.Builder commit = Commit.builder("wf", step + "-" + r, "s");
            for (int i = 0; i < perRun; i++) {
                commit.command(Command.invoke(step, Map.of("n", i)));
            }
            env.store.commit(commit.build());
        }
        // From the table, whatever their status: a running dispatcher may already hold or have finished some.
        try (Connection c = DispatchEnvironment.jta.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM verist_outbox WHERE command->>'step' = ?")) {
            ps.setString(1, step);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Long.toString(rs.getLong(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(ids).hasSize(runs * perRun);
        return ids;
    }

    private String commitEmit(String topic) {
        env.store.commit(Commit.builder("wf", "emit-" + topic, "s").command(Command.emit(topic, Map.of())).build());
        return env.store.outbox(OutboxStatus.PENDING, null, 10).stream()
                .filter(e -> e.command() instanceof Command.Emit emit && emit.topic().equals(topic))
                .findFirst().orElseThrow().id();
    }

    private void awaitStatus(List<String> ids, String status) {
        awaitTrue(ids.size() + " entries " + status, () -> count("SELECT count(*) FROM verist_outbox WHERE status = ?"
                + " AND id = ANY(?)", status, longs(ids).toArray(Long[]::new)) == ids.size());
    }


    private Map<Long, Integer> deliveriesPerEntry(String handler) throws SQLException {
        Map<Long, Integer> perEntry = new HashMap<>();
        try (Connection c = DispatchEnvironment.jta.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT outbox_id, count(*) FROM " + DispatchEnvironment.DELIVERIES
                     + " WHERE handler = ? GROUP BY outbox_id")) {
            ps.setString(1, handler);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    perEntry.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return perEntry;
    }

    private Map<String, Object> outboxRow(String id) throws SQLException {
        try (Connection c = DispatchEnvironment.jta.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM verist_outbox WHERE id = ?")) {
            ps.setLong(1, Long.parseLong(id));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    private static long count(String sql, Object... binds) {
        try (Connection c = DispatchEnvironment.jta.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                if (binds[i] instanceof Long[] array) {
                    ps.setArray(i + 1, c.createArrayOf("int8", array));
                } else {
                    ps.setObject(i + 1, binds[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> longs(List<String> ids) {
        return ids.stream().map(Long::parseLong).toList();
    }

    private static List<LogRecord> captureLog() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger.getLogger(OutboxDispatcher.class.getName()).addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return records;
    }

    @SuppressWarnings("unused")
    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }
}
