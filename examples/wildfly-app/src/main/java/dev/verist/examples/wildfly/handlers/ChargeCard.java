package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.Command;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code invoke charge-card}: declines the card {@code "declined"} every time, so that its command runs out of
 * attempts (the dispatcher's policy: 3) and ends as a dead letter for an operator to requeue.
 */
@ApplicationScoped
@OnInvoke("charge-card")
public class ChargeCard implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(ChargeCard.class.getName());

    @Override
    public void handle(OutboxEntry entry) {
        Map<?, ?> input = (Map<?, ?>) ((Command.Invoke) entry.command()).input();
        if ("declined".equals(input.get("card"))) {
            throw new IllegalArgumentException("card declined");
        }
        LOG.info("card charged for run " + entry.runId());
    }
}
