package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/** {@code invoke it-slow}: database work that must happen exactly once per entry, slow enough to be cut short. */
@ApplicationScoped
@OnInvoke("it-slow")
public class SlowHandler implements CommandHandler {

    @Inject
    @DeliveryData
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Deliveries.record(dataSource, entry, "it-slow");
        Thread.sleep(100);
    }
}
