package dev.verist.it.wildfly.dispatch;

import dev.verist.it.wildfly.ItSchema;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import javax.sql.DataSource;

/** {@code invoke it-record}: database work that must happen exactly once per entry. */
@ApplicationScoped
@OnInvoke("it-record")
public class RecordingHandler implements CommandHandler {

    @Resource(lookup = ItSchema.DATASOURCE)
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Deliveries.record(dataSource, entry, "it-record");
        Thread.sleep(2); // a little work, so that two dispatchers share a backlog
    }
}
