package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * What an application writes to turn the dispatcher on. The executor and the transactions are the server's
 * defaults, from JNDI, as in production; only the poll is quicker and the batches smaller.
 */
@ApplicationScoped
public class ScenarioSettings {

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).batchSize(5).build();
    }
}
