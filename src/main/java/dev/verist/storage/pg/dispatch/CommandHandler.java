package dev.verist.storage.pg.dispatch;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.RetryPolicy;

/**
 * Carries out outbox commands: a CDI bean the {@link OutboxDispatcher} calls, chosen by its qualifier
 * ({@link OnInvoke}, {@link OnFanout} or {@link OnEmit}). It runs in a JTA transaction of its own that also
 * finalises the entry: database work it does on a JTA data source commits exactly once, with the entry, or not
 * at all. For side effects outside the transaction (an HTTP call), use {@link OutboxEntry#dedupeKey()} or
 * {@link OutboxEntry#id()} as the idempotency key: an entry can be delivered again after a crash or a lost lease.
 */
public interface CommandHandler {

    /**
     * Carries out the command of {@code entry}. Throwing rolls back the transaction and records a failed attempt,
     * retried after {@link #retryPolicy()}'s backoff or a dead letter once its attempts are used up.
     */
    void handle(OutboxEntry entry) throws Exception;

    /**
     * The retries of this handler's commands; null, the default, takes the dispatcher's. Asked after each failed
     * attempt, not before each delivery.
     */
    default RetryPolicy retryPolicy() {
        return null;
    }
}
