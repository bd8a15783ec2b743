package dev.verist.storage.pg.health;

import java.util.ArrayList;
import java.util.List;

/**
 * What the outbox dispatcher reports about its deliveries, for a metrics library to record. The dispatcher
 * finds every bean of this type when it starts, and reports to each ({@link #NONE} when there is none): the
 * Micrometer adapter is one, and an application may add its own. Called on the dispatcher's threads once per
 * entry, after the entry's transaction has ended: an implementation must be thread-safe and quick; what it throws
 * is logged and otherwise ignored.
 */
public interface DispatchMetrics {

    /** Records nothing: the default when no implementation is a bean. */
    DispatchMetrics NONE = (kind, outcome, handlerNanos) -> {
    };

    /**
     * One delivery of an outbox entry has ended.
     *
     * @param kind         the command's type: {@code invoke}, {@code fanout}, {@code emit}, {@code review} or
     *                     {@code suspend}; never an id, step or topic, so that it stays a small set of values
     * @param outcome      how it ended
     * @param handlerNanos how long the handler ran, in nanoseconds; 0 when no handler ran ({@code UNHANDLED}).
     *                     With a transaction per batch, each handler's own run
     */
    void delivered(String kind, DeliveryOutcome outcome, long handlerNanos);

    /**
     * The implementations as one: {@link #NONE} when there is none, else one that reports to each in turn and
     * logs, without passing on, what one throws.
     */
    static DispatchMetrics of(Iterable<? extends DispatchMetrics> implementations) {
        List<DispatchMetrics> all = new ArrayList<>();
        for (DispatchMetrics metrics : implementations) {
            if (metrics != NONE) {
                all.add(metrics);
            }
        }
        return all.isEmpty() ? NONE : new GuardedDispatchMetrics(all);
    }
}
