package dev.verist.storage.pg.cdi;

/**
 * The CDI event the store bean fires when a call has made outbox entries due: a commit that writes pending
 * commands, an approved review or a resume, a requeue. Observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act
 * once the entries are committed; the in-container dispatcher does so to look for work at once.
 */
public final class OutboxWritten {

    /** The one event: it carries nothing but the fact. */
    public static final OutboxWritten INSTANCE = new OutboxWritten();

    private OutboxWritten() {
    }
}
