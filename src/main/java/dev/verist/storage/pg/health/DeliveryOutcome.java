package dev.verist.storage.pg.health;

import java.util.Locale;

/** How the dispatcher's delivery of one outbox entry ended. */
public enum DeliveryOutcome {

    /** The handler ran and the entry was finalised as dispatched, in one transaction. */
    DISPATCHED,
    /** The handler threw or its transaction did not commit; the entry is pending again after its backoff. */
    FAILED_ATTEMPT,
    /** The handler failed at the entry's last attempt; the entry is {@code failed}, a dead letter. */
    DEAD_LETTER,
    /** Another dispatcher had taken the entry over while its handler ran; the handler's work was rolled back. */
    LEASE_LOST,
    /** No handler takes the command; the entry was given back and waits the unhandled delay. */
    UNHANDLED;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The outcome as a metric tag value: {@code dispatched}, {@code failed_attempt}, {@code dead_letter}, ... */
    public String tag() {
        return tag;
    }
}
