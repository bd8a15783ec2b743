package dev.verist.storage.pg.health;

import static java.lang.System.Logger.Level.WARNING;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Several {@link DispatchMetrics} as one. A failing implementation must not cost the dispatcher its tick (the
 * entries after it would stay leased until their lease expires), so what one throws is logged, once per
 * implementation, and dropped.
 */
final class GuardedDispatchMetrics implements DispatchMetrics {

    private static final System.Logger LOG = System.getLogger(DispatchMetrics.class.getName());

    private final DispatchMetrics[] implementations;
    private final AtomicBoolean[] reported;

    GuardedDispatchMetrics(List<DispatchMetrics> implementations) {
        this.implementations = implementations.toArray(DispatchMetrics[]::new);
        this.reported = new AtomicBoolean[this.implementations.length];
        for (int i = 0; i < reported.length; i++) {
            reported[i] = new AtomicBoolean();
        }
    }

    @Override
    public void delivered(String kind, DeliveryOutcome outcome, long handlerNanos) {
        for (int i = 0; i < implementations.length; i++) {
            try {
                implementations[i].delivered(kind, outcome, handlerNanos);
            } catch (RuntimeException e) {
                if (reported[i].compareAndSet(false, true)) {
                    LOG.log(WARNING, "DispatchMetrics " + implementations[i].getClass().getName() + " failed; its"
                            + " failures are ignored (said once)", e);
                }
            }
        }
    }
}
