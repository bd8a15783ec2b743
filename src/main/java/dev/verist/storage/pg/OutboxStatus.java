package dev.verist.storage.pg;

import java.util.Locale;

/**
 * Where an outbox entry is in its life: {@code pending → leased → dispatched | failed}, or
 * {@code deferred → pending | rejected} behind a review. Dispatched, rejected and failed are terminal.
 */
public enum OutboxStatus {
    /** Ready to be leased. */
    PENDING,
    /** Waiting for the review of the step that produced it. */
    DEFERRED,
    /** Held by a dispatcher until its lease expires. */
    LEASED,
    /** Done. */
    DISPATCHED,
    /** Dropped because the review was rejected. */
    REJECTED,
    /** Given up by an operator or dispatcher; recovery is manual. */
    FAILED;

    /** The wire name, e.g. {@code pending}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
