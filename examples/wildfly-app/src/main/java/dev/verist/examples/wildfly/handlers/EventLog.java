package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.Command;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnEmit;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;

/**
 * {@code emit}, every topic: logs the event. With a broker, a subclass of
 * {@link dev.verist.storage.pg.dispatch.jms.JmsRelay} on this route would send it to a queue instead.
 */
@ApplicationScoped
@OnEmit(OutboxDispatcher.ANY)
public class EventLog implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(EventLog.class.getName());

    @Override
    public void handle(OutboxEntry entry) {
        Command.Emit emit = (Command.Emit) entry.command();
        LOG.info("event " + emit.topic() + " of run " + entry.runId() + ": " + emit.payload());
    }
}
