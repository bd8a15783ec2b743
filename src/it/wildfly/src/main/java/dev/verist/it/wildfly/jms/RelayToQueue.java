package dev.verist.it.wildfly.jms;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.OnEmit;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import dev.verist.storage.pg.dispatch.jms.JmsRelay;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;

/** Every emit to the queue {@value #QUEUE}, through the resource adapter's enlisting connection factory. */
@ApplicationScoped
@OnEmit(OutboxDispatcher.ANY)
public class RelayToQueue extends JmsRelay {

    /** The queue the relay sends to and the receiver listens on. */
    public static final String QUEUE = "verist-relayed";

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
