package dev.verist.it.wildfly.jms;

import dev.verist.it.wildfly.ItSchema;
import dev.verist.storage.pg.dispatch.jms.JmsRelay;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Receives the relayed commands and records each in {@value #TABLE}, in the message's transaction. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = RelayToQueue.QUEUE),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false")})
public class ReceivedRelays implements MessageListener {

    /** One row per message received. */
    public static final String TABLE = "it_received";

    @Resource(lookup = ItSchema.DATASOURCE)
    DataSource dataSource;

    @Override
    public void onMessage(Message message) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (outbox_id, dedupe_key, body)"
                     + " VALUES (?, ?, ?)")) {
            ps.setLong(1, message.getLongProperty(JmsRelay.OUTBOX_ID));
            ps.setString(2, message.getStringProperty(JmsRelay.DEDUPE_KEY));
            ps.setString(3, message.getBody(String.class));
            ps.executeUpdate();
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
