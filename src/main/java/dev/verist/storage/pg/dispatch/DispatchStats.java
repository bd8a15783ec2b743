package dev.verist.storage.pg.dispatch;

import java.util.Map;

/**
 * What a dispatcher has done since it started: counts, never ids.
 *
 * @param dispatched     entries carried out and finalised
 * @param failedAttempts attempts whose handler threw or whose transaction did not commit, dead letters included
 * @param deadLetters    entries that became {@code failed} after their last attempt
 * @param leasesLost     deliveries rolled back because another dispatcher had taken the entry over
 * @param unhandled      leases of commands no handler takes, by route ({@code invoke:<step>}, {@code emit:<topic>},
 *                       ...); those entries stay pending
 * @param tickFailures   ticks that failed outside any handler (the database down, ...); the next tick tries again
 */
public record DispatchStats(long dispatched, long failedAttempts, long deadLetters, long leasesLost,
                            Map<String, Long> unhandled, long tickFailures) {
}
