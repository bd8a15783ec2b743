package dev.verist.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.pg.PgRunStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * The library side of the shared/bench comparison: the workloads of shared/bench/README.md through the public
 * API of {@link PgRunStore}, at each client count, in the order floor.sh runs them (per client count: create,
 * update, update-commands, load, then a fresh 400,000-row outbox and drain; drain-each, the per-entry shape,
 * after another refill). Prints
 * {@code library <workload> c=<n> tps=<x> p50_ms=<y> p99_ms=<z> ...} per workload and client count, with the CPU
 * per call over the timed window ({@link Cpu}).
 */
public final class Harness {

    private static final int JIT_WARMUP_OUTBOX = 20_000;
    private static final int PURGE_BATCH = 10_000;
    private static final int LATENCY_COMMITS = 200;
    private static final Duration LATENCY_POLL = Duration.ofMillis(500);

    // Held so that the JUL configuration is not garbage-collected away.
    private static final List<Logger> QUIET = new ArrayList<>();

    private final Options options;
    private final Payloads payloads;
    private final Database database;
    private int phase;
    private int failures;
    private boolean backlogBuilt;

    private DispatchBench dispatchBench;
    private Cpu cpu;

    private Harness(Options options) {
        this.options = options;
        this.payloads = Payloads.read(options.payloads);
        this.database = new Database(options);
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.println(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        int failures = new Harness(options).run();
        System.exit(failures == 0 ? 0 : 1);
    }

    private DispatchBench dispatch() {
        if (dispatchBench == null) {
            dispatchBench = new DispatchBench(options);
        }
        return dispatchBench;
    }

    private int run() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "# library harness: java %s, %d cpus, max heap %d MiB; db %s on %s:%d; "
                        + "seconds=%d warmup=%d jit-warmup=%d clients=%s workloads=%s runs=%d outbox=%d (%s) payloads=%s%s%n",
                System.getProperty("java.version"), rt.availableProcessors(), rt.maxMemory() >> 20, options.db,
                options.host, options.port, options.seconds, options.warmup, options.jitWarmup, options.clients,
                options.workloads.stream().map(w -> w.label).toList(), options.runs, options.outbox,
                options.fullRefill ? "full refill" : "top-up", options.payloads,
                options.scaleRuns > 0 ? " scale=" + options.scaleRuns + "," + options.scaleEvents : "");
        if (options.storeUrl != null) {
            System.out.println("# the store's pool: " + options.storeUrl);
        }
        String note = database.create(payloads);
        if (note != null) {
            System.out.println("# scale: " + note);
        }
        if (options.scaleRuns > 0) {
            System.out.println(database.ensureScale(payloads));
        }
        cpu = Cpu.of(database.backendPid(), options.db);
        System.out.println(cpu.describe());
        boolean first = true;
        try {
            for (int clients : options.clients) {
                try (HikariDataSource pool = pool(clients); PgRunStore store = PgRunStore.create(pool)) {
                    if (first && options.jitWarmup > 0) {
                        jitWarmup(store, clients);
                    }
                    first = false;
                    for (Workload w : options.workloads) {
                        if (w.drains()) {
                            prepareDrain(store);
                        }
                        System.out.println(switch (w) {
                            case DISPATCH, DISPATCH_BATCH -> dispatcherThroughput(w, clients, options.warmup,
                                    options.seconds);
                            case DISPATCH_LATENCY -> {
                                database.clearOutbox(); // behind a backlog a commit waits for it, oldest first
                                yield dispatch().latency(LATENCY_COMMITS, LATENCY_POLL);
                            }
                            default -> measure(w, clients, store, options.warmup, options.seconds, true);
                        });
                        System.out.flush();
                    }
                }
            }
        } finally {
            if (dispatchBench != null) {
                dispatchBench.close();
            }
            database.drop();
        }
        return failures;
    }

    // The outbox a measured drain starts from: the prefill, the backlog (once, when purged as a user would), and
    // the plan of the lease statement on it.
    private void prepareDrain(PgRunStore store) throws SQLException {
        long t0 = System.nanoTime();
        database.prefillOutbox(options.outbox, options.fullRefill);
        if ((options.backlogDispatched > 0 || options.backlogWaiting > 0) && !(options.purge && backlogBuilt)) {
            database.ensureBacklog(options.backlogDispatched, options.backlogWaiting);
            backlogBuilt = true;
        }
        System.out.printf(Locale.ROOT, "# outbox %s in %.1f s: %s%n", options.fullRefill ? "refilled" : "topped up",
                (System.nanoTime() - t0) / 1e9, database.outboxStatusCounts());
        if (options.purge) {
            long p0 = System.nanoTime();
            long purged = 0;
            int batch;
            do {
                batch = store.purgeDispatched(Instant.now(), PURGE_BATCH);
                purged += batch;
            } while (batch == PURGE_BATCH);
            System.out.printf(Locale.ROOT, "# purgeDispatched: %d rows in %.1f s (batches of %d)%n", purged,
                    (System.nanoTime() - p0) / 1e9, PURGE_BATCH);
        }
        try {
            List<String> plan = database.leasePlan();
            boolean seqScan = plan.stream().anyMatch(l -> l.contains("Seq Scan"));
            boolean sort = plan.stream().anyMatch(l -> l.contains("Sort") && !l.contains("Sort Key")
                    && planSection(plan, l).equals("pending"));
            System.out.printf(Locale.ROOT, "# lease plan: seq_scan=%s sort_in_due_branch=%s %s%n", seqScan ? "yes" : "no",
                    sort ? "yes" : "no", plan.stream().filter(l -> l.contains("Execution Time")).findFirst()
                            .orElse("").trim());
            plan.forEach(l -> System.out.println("#   " + l));
        } catch (ReflectiveOperationException e) {
            System.out.println("# lease plan: not readable from this library version (" + e + ")");
        }
    }

    // Which CTE of the lease statement a plan line belongs to.
    private static String planSection(List<String> plan, String line) {
        String section = "";
        for (String l : plan) {
            if (l.trim().startsWith("CTE ")) {
                section = l.trim().substring(4).trim();
            }
            if (l == line) {
                return section;
            }
        }
        return section;
    }

    /** Once per JVM: every workload in turn, unmeasured, so the JIT has settled before the first window. */
    private void jitWarmup(PgRunStore store, int clients) throws Exception {
        int each = Math.max(1, options.jitWarmup / options.workloads.size());
        for (Workload w : options.workloads) {
            if (w == Workload.DISPATCH_LATENCY) {
                continue; // a light load, its own warm-up
            }
            if (w.drains()) {
                // Enough pending rows for a short warm-up (the full outbox comes before the measured drain).
                database.prefillOutbox(JIT_WARMUP_OUTBOX, false);
            }
            System.out.println("# jit-warmup " + (w.inContainer() ? dispatcherThroughput(w, clients, 0, each)
                    : measure(w, clients, store, 0, each, false)));
        }
    }

    private String dispatcherThroughput(Workload w, int clients, int warmupSeconds, int seconds) throws Exception {
        return dispatch().throughput(w.label, clients, w == Workload.DISPATCH_BATCH, warmupSeconds, seconds, cpu);
    }

    private String measure(Workload w, int clients, PgRunStore store, int warmupSeconds, int seconds, boolean counts)
            throws SQLException, InterruptedException {
        int[] versions = w.updates() ? database.versions() : null;
        String prefix = "p" + (++phase) + "c" + clients;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long windowStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
        Worker[] workers = new Worker[clients];
        Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            workers[i] = new Worker(w, i, clients, store, payloads, options.runs, versions, prefix, options.commitIds,
                    0x5EED_0000L + phase * 1_000L + i, start, windowStart, windowEnd);
            threads[i] = new Thread(workers[i], "bench-" + w.label + "-" + i);
        }
        for (Thread t : threads) {
            t.start();
        }
        // CPU is read at the window's edges only, by this thread, which sleeps in between.
        parkUntil(windowStart);
        Cpu.Mark cpuBegin = cpu.begin();
        parkUntil(windowEnd);
        Cpu.Mark cpuEnd = cpu.end();
        for (Thread t : threads) {
            t.join();
        }

        Histogram latency = new Histogram(3);
        Histogram leaseLatency = new Histogram(3);
        long ops = 0;
        long units = 0;
        long emptyLeases = 0;
        Map<String, Long> errors = new TreeMap<>();
        Throwable firstError = null;
        for (Worker worker : workers) {
            latency.add(worker.latencyMicros);
            leaseLatency.add(worker.leaseMicros);
            ops += worker.ops;
            units += worker.units;
            emptyLeases += worker.emptyLeases;
            worker.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            if (firstError == null) {
                firstError = worker.firstError;
            }
        }
        double tps = units / (double) seconds;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "library %s c=%d tps=%.1f p50_ms=%.3f p99_ms=%.3f",
                w.label, clients, tps, latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0));
        if (w.drains()) {
            // The floor's drain transaction takes 50 entries: its tps x 50 is comparable with entries/s here.
            line.append(String.format(Locale.ROOT, " batches_per_s=%.1f floor_comparable_tps=%.1f", ops / (double) seconds,
                    tps / Worker.DRAIN_BATCH));
            line.append(drainCheck(workers, emptyLeases, counts));
        }
        line.append(cpu.fields(cpuBegin, cpuEnd, units));
        line.append(" ops=").append(ops);
        long errorTotal = errors.values().stream().mapToLong(Long::longValue).sum();
        line.append(" errors=").append(errorTotal);
        if (errorTotal > 0) {
            line.append(' ').append(errors);
            if (counts) {
                failures++;
            }
            System.err.println("first error in " + w.label + " c=" + clients + ":");
            firstError.printStackTrace();
        }
        if (ops == 0 && counts) {
            failures++;
            line.append(" NO-OPS");
        }
        if (w.drains()) {
            // At the end, so that parsers of the fields before are not affected.
            line.append(String.format(Locale.ROOT, " lease_p50_ms=%.3f lease_p99_ms=%.3f",
                    leaseLatency.getValueAtPercentile(50) / 1000.0, leaseLatency.getValueAtPercentile(99) / 1000.0));
        }
        return line.toString();
    }

    private static void parkUntil(long nanoTime) {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            LockSupport.parkNanos(nanoTime - now);
        }
    }

    /**
     * At-most-once dispatch: every id leased by any worker (warm-up included) appears once, and the database
     * holds exactly that many dispatched rows and no leased row (workers finish their batch before stopping).
     */
    private String drainCheck(Worker[] workers, long emptyLeases, boolean counts) throws SQLException {
        int total = 0;
        for (Worker worker : workers) {
            total += worker.leasedCount;
        }
        long[] ids = new long[total];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.leasedIds, 0, ids, at, worker.leasedCount);
            at += worker.leasedCount;
        }
        Arrays.sort(ids);
        long duplicates = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                duplicates++;
            }
        }
        long dispatched = database.count("SELECT count(*) FROM verist_outbox WHERE status = 'dispatched'"
                + " AND step_id <> 'backlog'");
        long leased = database.count("SELECT count(*) FROM verist_outbox WHERE status = 'leased'");
        boolean ok = duplicates == 0 && dispatched == total && leased == 0;
        if (!ok && counts) {
            failures++;
        }
        return String.format(Locale.ROOT, " leased_total=%d duplicates=%d db_dispatched=%d db_leased=%d empty_leases=%d%s",
                total, duplicates, dispatched, leased, emptyLeases, ok ? " once=ok" : " once=FAILED");
    }

    private HikariDataSource pool(int clients) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-c" + clients);
        // --store-url: the store's connections through a pooler (PgBouncer), the set-up's direct.
        config.setJdbcUrl(options.storeUrl != null ? options.storeUrl : options.jdbcUrl(options.db));
        config.setUsername(options.user);
        if (!options.password.isEmpty()) {
            config.setPassword(options.password);
        }
        config.setMaximumPoolSize(clients);
        config.setMinimumIdle(clients);
        return new HikariDataSource(config);
    }

    private static void quietLogging() {
        // Hibernate logs through jboss-logging; send it to java.util.logging and keep only warnings.
        System.setProperty("org.jboss.logging.provider", "jdk");
        for (String name : List.of("org.hibernate", "io.hypersistence", "com.zaxxer.hikari", "org.jboss.weld",
                "com.arjuna", "io.agroal", "dev.verist.storage.pg.dispatch")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIET.add(logger);
        }
    }
}
