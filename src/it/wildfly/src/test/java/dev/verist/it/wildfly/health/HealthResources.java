package dev.verist.it.wildfly.health;

import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.cdi.Verist;
import dev.verist.storage.pg.dispatch.CommandHandler;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import dev.verist.storage.pg.dispatch.OnInvoke;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;

/** The health test's application: the store's unit, the dispatcher turned on, and a handler for {@value #STEP}. */
@ApplicationScoped
public class HealthResources {

    /** The step the handler takes. */
    public static final String STEP = "it-health";

    @Produces
    @Verist
    @PersistenceContext(unitName = "verist")
    EntityManager veristEntityManager;

    @Produces
    DispatcherSettings dispatcher() {
        return DispatcherSettings.builder().pollInterval(Duration.ofMillis(100)).build();
    }

    /** Carries out {@code invoke it-health}: nothing to do. */
    @ApplicationScoped
    @OnInvoke(STEP)
    public static class Handler implements CommandHandler {
        @Override
        public void handle(OutboxEntry entry) {
        }
    }
}
