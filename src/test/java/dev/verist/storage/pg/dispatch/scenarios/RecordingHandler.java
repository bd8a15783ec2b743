package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/** {@code invoke it-record}: database work that must happen exactly once per entry. */
@ApplicationScoped
@OnInvoke("it-record")
public class RecordingHandler implements CommandHandler {

    @Inject
    @DeliveryData
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Deliveries.record(dataSource, entry, "it-record");
        Thread.sleep(2); // a little work, so that two dispatchers share a backlog
    }
}
