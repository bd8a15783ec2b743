package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/** The dispatcher of {@link ScenarioSettings} with three-second leases: a crashed server's expire soon. */
@ApplicationScoped
public class RestartSettings {

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).batchSize(5)
                .leaseDuration(Duration.ofSeconds(3)).build();
    }
}
