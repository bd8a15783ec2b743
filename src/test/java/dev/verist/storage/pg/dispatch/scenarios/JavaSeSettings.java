package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.dispatch.DispatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Turns the dispatcher on in Java SE with {@link #current}, which the test or benchmark sets before starting Weld. */
@ApplicationScoped
public class JavaSeSettings {

    /** The settings the container's dispatcher starts with. */
    public static volatile DispatcherSettings current;

    @Produces
    DispatcherSettings settings() {
        return current;
    }
}
