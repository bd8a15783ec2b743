package dev.verist.examples.wildfly.handlers;

import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * Turns the library's dispatcher on: producing settings is all it takes. It starts with the application, runs on
 * the server's managed scheduled executor, listens for commits on other nodes, and polls every second besides.
 */
@ApplicationScoped
public class Dispatching {

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder()
                .pollInterval(Duration.ofSeconds(1))
                // Handlers that do not choose their own retries: 3 attempts, 1 s then 2 s apart.
                .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(30), false))
                .build();
    }
}
