package dev.verist.storage;

import dev.verist.storage.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Repeats a commit that failed in a way retrying can fix (a lost connection, a failover, a timeout:
 * {@link StorageException#retryable()}), always with the same {@link Commit#commitId()}, so a commit whose
 * acknowledgement was lost is answered with its result rather than written twice or refused as a conflict.
 */
public final class Retry {

    /** The longest wait between two attempts, whatever the backoff has grown to. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private Retry() {
    }

    /**
     * Commits {@code commit}, trying at most {@code attempts} times. Before attempt {@code n + 1} it waits a
     * random time between half and all of {@code backoff × 2^(n-1)} (at most {@link #MAX_WAIT}), so that the
     * workers of a fleet that lost their database together do not come back in step. A commit without a
     * {@code commitId} is given a random one for all its attempts (it needs schema V3).
     *
     * @return the run's state after the commit, as {@link RunStore#commit} returns it
     * @throws StorageException the last attempt's failure when every attempt failed retryably (the earlier
     *     failures are suppressed in it), or at once the first failure retrying cannot fix (a conflict, a
     *     not-found, bad input); when the thread is interrupted while waiting, the failure before the wait,
     *     with the interrupt status kept
     * @throws InvalidRequestException when an argument is null, {@code attempts < 1} or {@code backoff} is negative
     */
    public static RunState commit(RunStore store, Commit commit, int attempts, Duration backoff) {
        Checks.present(store, "store");
        Checks.present(commit, "commit");
        if (attempts < 1) {
            throw new InvalidRequestException("attempts", "is " + attempts + "; it must be at least 1");
        }
        Checks.notNegative(backoff, "backoff");
        Commit once = commit.commitId() != null ? commit : commit.withCommitId(UUID.randomUUID().toString());
        List<StorageException> earlier = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            try {
                return store.commit(once);
            } catch (StorageException e) {
                if (!e.retryable() || attempt == attempts || !waitBefore(attempt + 1, backoff)) {
                    earlier.forEach(e::addSuppressed); // a give-up shows the whole outage
                    throw e;
                }
                earlier.add(e);
            }
        }
    }

    // False when interrupted: the caller gives up at once.
    private static boolean waitBefore(int attempt, Duration backoff) {
        long nanos = waitNanos(attempt, backoff);
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The wait before {@code attempt} (2 or more): uniform in [d/2, d], d = backoff × 2^(attempt-2), at most MAX_WAIT. */
    static long waitNanos(int attempt, Duration backoff) {
        long max = MAX_WAIT.toNanos();
        long base = backoff.compareTo(MAX_WAIT) > 0 ? max : backoff.toNanos();
        int doublings = Math.min(attempt - 2, 62);
        long full = base > (max >> doublings) ? max : base << doublings;
        long half = full / 2;
        return half + ThreadLocalRandom.current().nextLong(full - half + 1);
    }
}
