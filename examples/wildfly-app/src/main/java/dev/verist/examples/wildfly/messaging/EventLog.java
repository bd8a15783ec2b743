package dev.verist.examples.wildfly.messaging;

import dev.verist.storage.pg.dispatch.jms.JmsRelay;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/** Receives the relayed events from {@value EventsToQueue#QUEUE} and logs them. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = EventsToQueue.QUEUE),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false")})
public class EventLog implements MessageListener {

    private static final Logger LOG = Logger.getLogger(EventLog.class.getName());

    @Override
    public void onMessage(Message message) {
        try {
            LOG.info("received from " + EventsToQueue.QUEUE + ": outbox entry "
                    + message.getLongProperty(JmsRelay.OUTBOX_ID) + " of run "
                    + message.getStringProperty(JmsRelay.RUN_ID) + ": " + message.getBody(String.class));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
