package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.OnEmit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;

/** {@code emit it-fails}: writes, then throws; every attempt's write must roll back. */
@ApplicationScoped
@OnEmit("it-fails")
public class FailingHandler implements CommandHandler {

    @Inject
    @DeliveryData
    DataSource dataSource;

    @Override
    public void handle(OutboxEntry entry) throws Exception {
        Deliveries.record(dataSource, entry, "it-fails");
        throw new IllegalStateException("the payment service said no");
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofMillis(100), 2, Duration.ofSeconds(1), false);
    }
}
