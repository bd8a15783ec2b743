package dev.verist.storage.pg;

import java.time.Duration;

/**
 * How {@link PgRunStore#markFailed(OutboxEntry, String, RetryPolicy)} treats a failed attempt: the entry is pending
 * again after a backoff that grows by {@code multiplier} from {@code initialBackoff} up to {@code maxBackoff}, until
 * {@code maxAttempts} attempts have failed; then it is a dead letter ({@link OutboxStatus#FAILED}). With
 * {@code jitter}, the wait is drawn uniformly from zero to the backoff ("full jitter"), so retries of many entries
 * that failed together spread out. The record does not check its values; {@code markFailed} does.
 *
 * @param maxAttempts    attempts in all, the first included; at least 1
 * @param initialBackoff the wait after the first failure; not negative
 * @param multiplier     how much each further failure multiplies the wait; at least 1
 * @param maxBackoff     the longest wait; not negative
 * @param jitter         whether the wait is drawn from {@code [0, backoff]} instead of being the backoff itself
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          boolean jitter) {

    private static final RetryPolicy DEFAULTS =
            new RetryPolicy(10, Duration.ofSeconds(1), 2, Duration.ofMinutes(10), true);
    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO, false);

    /** 10 attempts; waits of 1 s, doubling, capped at 10 minutes, with full jitter. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt: the first failure makes the entry a dead letter. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * The wait after {@code failedAttempts} failures, before jitter: {@code min(maxBackoff, initialBackoff *
     * multiplier^(failedAttempts - 1))}; fewer than 1 counts as 1. Never overflows: a product beyond
     * {@code maxBackoff} is {@code maxBackoff}.
     */
    public Duration backoff(int failedAttempts) {
        int n = Math.max(1, failedAttempts);
        double wait = nanos(initialBackoff) * Math.pow(multiplier, n - 1);
        if (!(wait < nanos(maxBackoff))) {
            return maxBackoff;
        }
        return Duration.ofSeconds((long) (wait / 1e9), (long) (wait % 1e9));
    }

    // As a double, so that no duration overflows on the way (Duration.toNanos stops at 292 years).
    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }
}
