package dev.verist.bench;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import dev.verist.storage.StorageException;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One client: a thread that calls the store in a closed loop (the next call starts when the previous one
 * returned), as a pgbench client does. A call counts when it finishes inside the timed window; its latency
 * goes into this worker's histogram (microseconds).
 */
final class Worker implements Runnable {

    static final String WORKFLOW = "bench";
    static final int DRAIN_BATCH = 50;
    // drain-retry: a failed first attempt is due again at once, and a second failure would be a dead letter.
    private static final RetryPolicy RETRY_ONCE = new RetryPolicy(2, Duration.ZERO, 1, Duration.ZERO, false);
    private static final int MAX_ERRORS = 1_000;

    private final Workload workload;
    /** Whether every commit carries a commit id, as a caller that retries them would give. */
    private final boolean commitIds;
    private final int index;
    private final PgRunStore store;
    private final Payloads payloads;
    private final int runs;
    private final String createPrefix;
    private final String owner;
    private final long start;
    private final long windowStart;
    private final long windowEnd;
    private final SplittableRandom random;

    // update / update-commands: this worker's runs (run numbers) and their current versions.
    private final int[] slice;
    private final int[] versions;

    final Histogram latencyMicros = new Histogram(3);
    /** Drains: the {@code leaseOutbox} call alone, of the calls counted in {@link #latencyMicros}. */
    final Histogram leaseMicros = new Histogram(3);
    long ops;           // calls (drain: lease + its markDispatched calls) finished in the window
    long units;         // commits / loads / dispatched entries finished in the window
    long allOps;        // including the warm-up
    long emptyLeases;   // drain: leases that returned nothing
    long[] leasedIds = new long[1024];
    int leasedCount;    // drain: every id this worker leased, warm-up included
    final Map<String, Long> errors = new TreeMap<>();
    Throwable firstError;
    private long seq;
    private long leaseNanos;    // drains: the last call's leaseOutbox

    Worker(Workload workload, int index, int clients, PgRunStore store, Payloads payloads, int runs,
           int[] allVersions, String createPrefix, boolean commitIds, long seed, long start, long windowStart,
           long windowEnd) {
        this.workload = workload;
        this.commitIds = commitIds;
        this.index = index;
        this.store = store;
        this.payloads = payloads;
        this.runs = runs;
        this.createPrefix = createPrefix + "-w" + index + "-";
        this.owner = "bench-" + createPrefix + "-w" + index;
        this.start = start;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.random = new SplittableRandom(seed);
        if (allVersions != null) {
            // Runs n with (n - 1) % clients == index: disjoint slices, so no two workers ever commit on one run.
            int size = (runs - index + clients - 1) / clients;
            slice = new int[size];
            versions = new int[size];
            for (int k = 0; k < size; k++) {
                slice[k] = index + 1 + k * clients;
                versions[k] = allVersions[slice[k]];
            }
        } else {
            slice = null;
            versions = null;
        }
    }

    @Override
    public void run() {
        long now;
        while ((now = System.nanoTime()) < start) {
            LockSupport.parkNanos(Math.min(start - now, 1_000_000L));
        }
        long errorCount = 0;
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= windowEnd) {
                break;
            }
            int done;
            try {
                done = once();
            } catch (RuntimeException e) {
                errors.merge(key(e), 1L, Long::sum);
                if (firstError == null) {
                    firstError = e;
                }
                if (++errorCount >= MAX_ERRORS) {
                    errors.merge("stopped after " + MAX_ERRORS + " errors", 1L, Long::sum);
                    break;
                }
                continue;
            }
            long t1 = System.nanoTime();
            if (done == 0) {
                continue;
            }
            allOps++;
            if (t1 >= windowStart && t1 < windowEnd) {
                ops++;
                units += done;
                latencyMicros.recordValue(Math.max(1, (t1 - t0) / 1_000));
                if (workload.drains()) {
                    leaseMicros.recordValue(Math.max(1, leaseNanos / 1_000));
                }
            }
        }
    }

    /** One call (drain: one lease and its dispatches); returns the units done, 0 for an empty lease. */
    private int once() {
        switch (workload) {
            case CREATE -> {
                store.commit(Commit.builder(WORKFLOW, createPrefix + (seq++), "extract")
                        .commitId(commitIds ? "extract" : null)
                        .output(payloads.createOutput)
                        .events(payloads.events)
                        .build());
                return 1;
            }
            case UPDATE, UPDATE_COMMANDS -> {
                int k = random.nextInt(slice.length);
                int expected = versions[k];
                Commit.Builder b = workload == Workload.UPDATE
                        ? Commit.builder(WORKFLOW, "r-" + slice[k], "verify")
                        // A fresh step id per commit, as a run's successive steps: fresh dedupe keys.
                        : Commit.builder(WORKFLOW, "r-" + slice[k], "verify-" + expected).commands(payloads.commands);
                try {
                    RunState state = store.commit(b.expectedVersion(expected)
                            .commitId(commitIds ? "verify-" + expected : null)
                            .output(payloads.updateOutput)
                            .events(payloads.events)
                            .build());
                    versions[k] = state.version();
                } catch (ConflictException e) {
                    if (e.reason() == ConflictReason.VERSION_MISMATCH) {
                        // Cannot happen with disjoint slices; counted as an error, then resynchronised.
                        store.load(WORKFLOW, "r-" + slice[k]).ifPresent(s -> versions[k] = s.version());
                    }
                    throw e;
                }
                return 1;
            }
            case LOAD -> {
                String runId = "r-" + (1 + random.nextInt(runs));
                if (store.load(WORKFLOW, runId).isEmpty()) {
                    throw new IllegalStateException("load: " + runId + " not found");
                }
                return 1;
            }
            case DRAIN, DRAIN_EACH -> {
                List<OutboxEntry> entries = lease();
                if (entries.isEmpty()) {
                    emptyLeases++;
                    return 0;
                }
                for (OutboxEntry e : entries) {
                    remember(Long.parseLong(e.id()));
                }
                if (workload == Workload.DRAIN) {
                    List<String> ids = new ArrayList<>(entries.size());
                    for (OutboxEntry e : entries) {
                        ids.add(e.id());
                    }
                    store.markDispatched(ids, owner);
                } else {
                    for (OutboxEntry e : entries) {
                        store.markDispatched(e.id(), owner);
                    }
                }
                return entries.size();
            }
            case DRAIN_RETRY -> {
                List<OutboxEntry> entries = lease();
                if (entries.isEmpty()) {
                    emptyLeases++;
                    return 0;
                }
                List<OutboxEntry> done = new ArrayList<>(entries.size());
                for (OutboxEntry e : entries) {
                    if (e.attempts() == 0 && random.nextInt(10) == 0) {
                        store.markFailed(e, "transient failure", RETRY_ONCE);
                    } else {
                        done.add(e);
                    }
                }
                store.markDispatched(done);
                // Only dispatched ids are remembered: a retried entry is leased twice, but dispatched once.
                for (OutboxEntry e : done) {
                    remember(Long.parseLong(e.id()));
                }
                return done.size();
            }
            default -> throw new IllegalStateException(workload.label);
        }
    }

    private List<OutboxEntry> lease() {
        long t0 = System.nanoTime();
        List<OutboxEntry> entries = store.leaseOutbox(owner, DRAIN_BATCH);
        leaseNanos = System.nanoTime() - t0;
        return entries;
    }

    private void remember(long id) {
        if (leasedCount == leasedIds.length) {
            leasedIds = Arrays.copyOf(leasedIds, leasedCount * 2);
        }
        leasedIds[leasedCount++] = id;
    }

    private static String key(RuntimeException e) {
        if (e instanceof ConflictException c) {
            return c.code() + "/" + c.reason();
        }
        if (e instanceof StorageException s) {
            return String.valueOf(s.code());
        }
        return e.getClass().getSimpleName();
    }
}
