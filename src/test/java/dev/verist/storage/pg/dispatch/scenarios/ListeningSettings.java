package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/** The dispatcher of {@link ScenarioSettings} with a ten-minute poll: only notifications wake it in a scenario. */
@ApplicationScoped
public class ListeningSettings {

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMinutes(10)).batchSize(5).build();
    }
}
