package dev.verist.bench;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.arjuna.ats.jta.cdi.TransactionExtension;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.DispatchStats;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import dev.verist.storage.pg.dispatch.OnEmit;
import dev.verist.storage.pg.dispatch.OnFanout;
import dev.verist.storage.pg.dispatch.OnInvoke;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeSettings;
import dev.verist.storage.pg.dispatch.scenarios.JavaSeUnit;
import dev.verist.storage.pg.dispatch.scenarios.NarayanaTransactionServices;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The in-container dispatcher's workloads: the dispatcher of the library in Weld SE with Narayana's transaction
 * manager and an Agroal pool whose connections enlist, as the library's tests run it (a server would bring its
 * own of each). Handlers do nothing, so what is measured is the dispatcher and the store.
 */
final class DispatchBench implements AutoCloseable {

    private static final String LATENCY_STEP = "latency";
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Options options;
    // Every throughput window at one worker count runs in one container, as one server would run the dispatcher:
    // what the JIT did for it in the warm-up carries over to the window (a new container brings new proxy classes).
    private Setup throughputSetup;

    DispatchBench(Options options) {
        this.options = options;
        if (System.getProperty("ObjectStoreEnvironmentBean.objectStoreDir") == null) {
            try {
                String dir = Files.createTempDirectory("verist-bench-narayana").toString();
                System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", dir);
                System.setProperty("com.arjuna.ats.arjuna.objectstore.objectStoreDir", dir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Entries/s the dispatcher carries out of the prefilled outbox with {@code workers} workers and batches of
     * {@value Worker#DRAIN_BATCH} (in one transaction each when {@code perBatch}), after {@code warmup} s; a line as
     * the harness prints them, with the CPU per entry over the window.
     */
    String throughput(String label, int workers, boolean perBatch, int warmup, int seconds, Cpu cpu)
            throws Exception {
        UnaryOperator<DispatcherSettings.Builder> tuning =
                s -> s.batchSize(Worker.DRAIN_BATCH).transactionPerBatch(perBatch);
        if (throughputSetup != null && throughputSetup.workers != workers) {
            close();
        }
        if (throughputSetup == null) {
            throughputSetup = new Setup(workers, tuning);
        } else {
            throughputSetup.restart(tuning);
        }
        OutboxDispatcher dispatcher = throughputSetup.dispatcher;
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            Cpu.Mark cpuBegin = cpu.begin();
            long before = dispatcher.stats().dispatched();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            DispatchStats stats = dispatcher.stats(); // before stopping: a stopped dispatcher counts nothing
            long after = stats.dispatched();
            Cpu.Mark cpuEnd = cpu.end();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long failed = stats.failedAttempts() + stats.tickFailures();
            double tps = (after - before) / elapsed;
            return String.format(Locale.ROOT, "library %s c=%d tps=%.1f p50_ms=0 p99_ms=0 batches_per_s=%.1f"
                            + " floor_comparable_tps=%.1f%s dispatched=%d errors=%d", label, workers, tps,
                    tps / Worker.DRAIN_BATCH, tps / Worker.DRAIN_BATCH, cpu.fields(cpuBegin, cpuEnd, after - before),
                    after, failed);
        } finally {
            dispatcher.stop();
        }
    }

    /** Closes the container the throughput windows share, if one is open. */
    @Override
    public void close() {
        if (throughputSetup != null) {
            throughputSetup.close();
            throughputSetup = null;
        }
    }

    /**
     * Commit-to-handler latency at a light load, from the return of the commit to the start of its handler: one
     * single-command commit at a time, at random gaps; {@code commits} through the store bean (its
     * {@code OutboxWritten} wakes the dispatcher), as many through a plain store, as another node would commit
     * (its notification wakes the listening dispatcher), and a quarter as many through a plain store with the
     * dispatcher not listening, found by the poll every {@code poll}.
     */
    String latency(int commits, Duration poll) throws Exception {
        StringBuilder lines = new StringBuilder();
        try (Setup setup = new Setup(2, s -> s.pollInterval(poll))) {
            ContainerPgRunStore bean = setup.container.select(ContainerPgRunStore.class).get();
            lines.append(measureLatency("wake-up", bean, commits, Duration.ofMillis(20))).append('\n');
            try (PgRunStore plain = PgRunStore.create(setup.pool)) {
                lines.append(measureLatency("notify", plain, commits, Duration.ofMillis(20))).append('\n');
            }
        }
        try (Setup setup = new Setup(2, s -> s.pollInterval(poll).notifications(false));
             PgRunStore plain = PgRunStore.create(setup.pool)) {
            lines.append(measureLatency("poll-" + poll.toMillis() + "ms", plain, commits / 4, poll));
        }
        return lines.toString();
    }

    private static final AtomicLong LATENCY_RUNS = new AtomicLong();

    private static String measureLatency(String label, PgRunStore store, int commits, Duration maxGap)
            throws Exception {
        Histogram micros = new Histogram(3);
        for (int i = 0; i < commits; i++) {
            String run = label + "-" + LATENCY_RUNS.incrementAndGet(); // new at every call: warm-up and window alike
            CompletableFuture<Long> handlerStart = new CompletableFuture<>();
            LatencyHandler.started.put(run, handlerStart);
            store.commit(Commit.builder("bench-latency", run, "s").command(Command.invoke(LATENCY_STEP, Map.of()))
                    .build());
            long committed = System.nanoTime();
            long started = handlerStart.get(30, TimeUnit.SECONDS); // blocks: no spinning for a core the work needs
            micros.recordValue(Math.max(0, (started - committed) / 1000));
            // Random gaps, so that commits do not fall into step with the poll.
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxGap.toMillis() + 1));
        }
        return String.format(Locale.ROOT, "latency dispatch-%s commits=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", label,
                commits, micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    private static DispatcherSettings settings(int workers, ScheduledExecutorService executor,
                                               UnaryOperator<DispatcherSettings.Builder> tuning) {
        return tuning.apply(DispatcherSettings.builder()
                .leaseOwner("bench")
                .workers(workers)
                .pollInterval(Duration.ofMillis(100))
                .maxTick(Duration.ofSeconds(1))
                .executor(executor)
                .userTransaction(com.arjuna.ats.jta.UserTransaction.userTransaction())).build();
    }

    /** A Weld container with the store bean, the dispatcher, the no-op handlers and the unit, started. */
    private final class Setup implements AutoCloseable {
        final AgroalDataSource pool;
        final EntityManagerFactory unit;
        final WeldContainer container;
        final OutboxDispatcher dispatcher;
        final int workers;
        private final ScheduledExecutorService executor;

        Setup(int workers, UnaryOperator<DispatcherSettings.Builder> tuning) throws SQLException {
            this.workers = workers;
            executor = Executors.newScheduledThreadPool(workers + 2, runnable -> { // + poll, + listener
                // Named as the harness's workers, so that bench/profile.sh counts them.
                Thread thread = new Thread(runnable, "bench-dispatch-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(c -> c
                            .maxSize(workers + 3) // + the listener's
                            .transactionIntegration(new NarayanaTransactionIntegration(
                                    com.arjuna.ats.jta.TransactionManager.transactionManager(),
                                    new TransactionSynchronizationRegistryImple()))
                            .connectionFactoryConfiguration(f -> f
                                    .jdbcUrl(options.jdbcUrl(options.db))
                                    .principal(new NamePrincipal(options.user))
                                    .credential(new SimplePassword(options.password)))));
            unit = Persistence.createEntityManagerFactory("verist", Map.of(
                    "jakarta.persistence.jtaDataSource", pool,
                    "hibernate.transaction.jta.platform",
                    "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform"));
            JavaSeUnit.factory = unit;
            JavaSeSettings.current = settings(workers, executor, tuning);
            container = new Weld("bench-dispatch").disableDiscovery()
                    .addServices(new NarayanaTransactionServices())
                    .addExtensions(new TransactionExtension())
                    .addBeanClasses(ContainerPgRunStore.class, OutboxDispatcher.class, JavaSeUnit.class,
                            JavaSeSettings.class, NoOpInvoke.class, NoOpFanout.class, NoOpEmit.class,
                            LatencyHandler.class)
                    .initialize();
            dispatcher = container.select(OutboxDispatcher.class).get();
        }

        /** Stops the dispatcher and starts it again with other settings, on the same executor. */
        void restart(UnaryOperator<DispatcherSettings.Builder> tuning) {
            dispatcher.stop();
            dispatcher.start(settings(workers, executor, tuning));
        }

        @Override
        public void close() {
            container.shutdown();
            executor.shutdownNow();
            unit.close();
            pool.close();
        }
    }

    @ApplicationScoped
    @OnInvoke(OutboxDispatcher.ANY)
    static class NoOpInvoke implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
        }
    }

    @ApplicationScoped
    @OnFanout(OutboxDispatcher.ANY)
    static class NoOpFanout implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
        }
    }

    @ApplicationScoped
    @OnEmit(OutboxDispatcher.ANY)
    static class NoOpEmit implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
        }
    }

    /** Notes when the handler of a latency commit starts. */
    @ApplicationScoped
    @OnInvoke(LATENCY_STEP)
    static class LatencyHandler implements CommandHandler {
        static final Map<String, CompletableFuture<Long>> started = new ConcurrentHashMap<>();

        @Override
        public void handle(OutboxEntry entry) {
            long now = System.nanoTime();
            CompletableFuture<Long> waiting = started.get(entry.runId());
            if (waiting != null) {
                waiting.complete(now);
            }
        }
    }
}
