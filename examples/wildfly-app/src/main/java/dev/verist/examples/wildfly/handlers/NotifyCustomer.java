package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * {@code invoke notify-customer}: a flaky mail service that fails the first two attempts of every command, to
 * show retries with backoff. Its own policy: 5 attempts, 1 s, 2 s, 4 s, ... apart.
 */
@ApplicationScoped
@OnInvoke("notify-customer")
public class NotifyCustomer implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(NotifyCustomer.class.getName());

    @Override
    public void handle(OutboxEntry entry) {
        if (entry.attempts() < 2) {
            throw new IllegalStateException("mail service unavailable (attempt " + (entry.attempts() + 1) + ")");
        }
        // A real sender would pass entry.dedupeKey() as the idempotency key: a crash after the send and before
        // the commit delivers the entry again.
        LOG.info("customer of run " + entry.runId() + " notified on attempt " + (entry.attempts() + 1));
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(5, Duration.ofSeconds(1), 2, Duration.ofMinutes(1), false);
    }
}
