package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.Command;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;

/** {@code invoke continue}: the step a resumed suspend queues, with its checkpoint and the resume data. */
@ApplicationScoped
@OnInvoke("continue")
public class ContinueRun implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(ContinueRun.class.getName());

    @Override
    public void handle(OutboxEntry entry) {
        LOG.info("run " + entry.runId() + " continues with " + ((Command.Invoke) entry.command()).input());
    }
}
