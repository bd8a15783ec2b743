package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/**
 * {@code invoke it-lease-lost}: writes its row, then works long enough for the scenario to take its entry over
 * from outside, as another dispatcher would after the lease expired; the fence must then roll the row back.
 */
@ApplicationScoped
@OnInvoke("it-lease-lost")
public class LeaseLosingHandler implements CommandHandler {

    /** How long the handler works after writing its row. */
    static final long WORK_MILLIS = 3000;

    @Inject
    @DeliveryData
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Deliveries.record(dataSource, entry, "it-lease-lost");
        Thread.sleep(WORK_MILLIS);
    }
}
