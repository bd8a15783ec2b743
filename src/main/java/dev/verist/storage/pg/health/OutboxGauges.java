package dev.verist.storage.pg.health;

import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Optional;

/**
 * The outbox's numbers for gauges, from the store bean's {@code outboxStats()}: one statement that reads the whole
 * outbox, so its result is kept for {@value #MAX_AGE_SECONDS} seconds. However many gauges a scraper reads and
 * however often, the database sees at most one such statement per interval. A failure is kept as long: while the
 * database is down every gauge is {@code NaN} and no scrape waits on it more than once per interval. Outside any
 * caller transaction ({@code NOT_SUPPORTED}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OutboxGauges {

    /** How long one reading of the outbox serves. */
    public static final long MAX_AGE_SECONDS = 5;

    private static final long MAX_AGE_NANOS = Duration.ofSeconds(MAX_AGE_SECONDS).toNanos();
    private static final System.Logger LOG = System.getLogger(OutboxGauges.class.getName());

    @Inject
    ContainerPgRunStore store;

    private volatile Reading last;

    /** For CDI. */
    protected OutboxGauges() {
    }

    /** The outbox's numbers, at most {@value #MAX_AGE_SECONDS} s old; empty when the database could not be read. */
    public Optional<OutboxStats> stats() {
        Reading reading = last;
        if (reading == null || System.nanoTime() - reading.at > MAX_AGE_NANOS) {
            reading = read();
        }
        return reading.stats;
    }

    /** Entries pending (due or waiting for a retry); {@code NaN} when the database could not be read. */
    public double pending() {
        Optional<OutboxStats> stats = stats();
        return stats.isPresent() ? stats.get().counts().get(OutboxStatus.PENDING) : Double.NaN;
    }

    /** In seconds, how long the oldest due pending entry has waited; 0 when none is due, {@code NaN} when unread. */
    public double oldestPendingAgeSeconds() {
        Optional<OutboxStats> stats = stats();
        if (stats.isEmpty()) {
            return Double.NaN;
        }
        Optional<Duration> age = stats.get().oldestPendingAge();
        return age.isPresent() ? age.get().toNanos() / 1e9 : 0;
    }

    /** Dead letters: entries {@code failed} after their last attempt; {@code NaN} when unread. */
    public double failed() {
        Optional<OutboxStats> stats = stats();
        return stats.isPresent() ? stats.get().counts().get(OutboxStatus.FAILED) : Double.NaN;
    }

    /** Pending entries whose failed attempt is not due again yet; {@code NaN} when unread. */
    public double waitingRetries() {
        Optional<OutboxStats> stats = stats();
        return stats.isPresent() ? stats.get().waitingRetries() : Double.NaN;
    }

    /** Leased entries whose lease has expired: their holder may be gone; {@code NaN} when unread. */
    public double expiredLeases() {
        Optional<OutboxStats> stats = stats();
        return stats.isPresent() ? stats.get().expiredLeases() : Double.NaN;
    }

    // One reader at a time: scrapers that arrive meanwhile take its reading instead of asking the database again.
    private synchronized Reading read() {
        Reading reading = last;
        if (reading != null && System.nanoTime() - reading.at <= MAX_AGE_NANOS) {
            return reading;
        }
        Optional<OutboxStats> stats;
        try {
            stats = Optional.of(store.outboxStats());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "The outbox statistics could not be read", e);
            stats = Optional.empty();
        }
        reading = new Reading(stats, System.nanoTime());
        last = reading;
        return reading;
    }

    private record Reading(Optional<OutboxStats> stats, long at) {
    }
}
