package dev.verist.storage.pg.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one outbox notification per {@link #INTERVAL_NANOS} from one store. PostgreSQL serialises the commits of
 * transactions that notify, which cost a quarter of commit throughput at four clients when every commit did; a
 * dispatcher woken by one notification looks again {@link #INTERVAL_NANOS} later, so the commits this skips are
 * found then.
 */
public final class NotifyThrottle {

    /** The shortest time between two notifications of one store. */
    public static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final LongSupplier clock;
    private final AtomicLong last;

    NotifyThrottle() {
        this(System::nanoTime);
    }

    NotifyThrottle(LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.last = new AtomicLong(nanoClock.getAsLong() - INTERVAL_NANOS);
    }

    /** Whether this commit notifies: the first caller after the interval wins. */
    boolean take() {
        long now = clock.getAsLong();
        long previous = last.get();
        return now - previous >= INTERVAL_NANOS && last.compareAndSet(previous, now);
    }
}
