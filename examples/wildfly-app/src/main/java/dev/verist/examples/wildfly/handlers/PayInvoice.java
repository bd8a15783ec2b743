package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.Command;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@code invoke pay-invoice}: records the payment in {@code example_payments}, in the delivery's JTA transaction.
 * The row commits together with the entry's finalisation or not at all, so each command pays exactly once; the
 * table's primary key on {@code outbox_id} would refuse a second payment anyway.
 */
@ApplicationScoped
@OnInvoke("pay-invoice")
public class PayInvoice implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(PayInvoice.class.getName());

    @Resource(lookup = "java:jboss/datasources/VeristExampleDS")
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Map<?, ?> input = (Map<?, ?>) ((Command.Invoke) entry.command()).input();
        BigDecimal amount = new BigDecimal(String.valueOf(input.get("amount")));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO example_payments (outbox_id, run_id, amount) VALUES (?, ?, ?)")) {
            ps.setLong(1, Long.parseLong(entry.id()));
            ps.setString(2, entry.runId());
            ps.setBigDecimal(3, amount);
            ps.executeUpdate();
        }
        LOG.info("paid " + amount + " for run " + entry.runId() + " (outbox entry " + entry.id() + ")");
    }
}
