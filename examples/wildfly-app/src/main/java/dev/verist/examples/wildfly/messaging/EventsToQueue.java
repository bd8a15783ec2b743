package dev.verist.examples.wildfly.messaging;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.OnEmit;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import dev.verist.storage.pg.dispatch.jms.JmsRelay;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;

/**
 * {@code emit}, every topic: relayed to the queue {@value #QUEUE} in the delivery's transaction, through the
 * resource adapter's XA connection factory, so the message is sent if and only if the entry is finalised.
 */
@ApplicationScoped
@OnEmit(OutboxDispatcher.ANY)
public class EventsToQueue extends JmsRelay {

    /** The queue of the workflow's events. */
    static final String QUEUE = "workflow-events";

    @Resource(lookup = "java:/ArtemisXA")
    ConnectionFactory factory;

    @Override
    protected ConnectionFactory connectionFactory() {
        return factory;
    }

    @Override
    protected Destination destination(JMSContext context, OutboxEntry entry) {
        return context.createQueue(QUEUE);
    }
}
