package dev.verist.storage.pg;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox at a glance, for an operator or a health check; all read in one statement by the database clock.
 *
 * @param counts           entries per status, every status present (0 when none)
 * @param oldestPendingAge how long the oldest entry that is pending and due has waited since it was created;
 *                         empty when none is due
 * @param expiredLeases    leased entries whose lease has expired (or has no expiry): their holder may be gone
 * @param waitingRetries   pending entries whose failed attempt is not due again yet
 */
public record OutboxStats(Map<OutboxStatus, Long> counts, Optional<Duration> oldestPendingAge,
                          long expiredLeases, long waitingRetries) {
}
