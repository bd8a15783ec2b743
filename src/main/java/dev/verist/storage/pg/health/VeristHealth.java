package dev.verist.storage.pg.health;

import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import dev.verist.storage.pg.dispatch.DispatcherSettings;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * The readiness of the store bean's database and of the outbox dispatcher, for a health endpoint: the MicroProfile
 * Health adapter reports it, and an application can call it from any other. Outside any caller transaction
 * ({@code NOT_SUPPORTED}): a database that is down never marks an application's transaction rollback-only.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class VeristHealth {

    @Inject
    ContainerPgRunStore store;

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    Instance<DispatcherSettings> settings;

    /** For CDI. */
    protected VeristHealth() {
    }

    /**
     * Asks the database whether it has the latest migration's objects (one catalog query, which also shows that it
     * answers), and the dispatcher whether it runs. Never throws: a failure is a readiness that is down, its
     * {@link Readiness#detail()} saying why.
     */
    public Readiness readiness() {
        boolean reachable;
        List<String> missing = List.of();
        String unreachable = null;
        try {
            missing = store.missingSchemaObjects();
            reachable = true;
        } catch (RuntimeException e) {
            reachable = false;
            unreachable = e.getMessage() != null ? e.getMessage() : e.toString();
        }
        DispatcherState state = dispatcherState();

        List<String> why = new ArrayList<>(3);
        if (!reachable) {
            why.add("the database cannot be reached: " + unreachable);
        } else if (!missing.isEmpty()) {
            why.add("the database lacks objects of migration " + PgSchema.latestMigration() + " ("
                    + String.join(", ", missing) + "): apply schema.sql or the Flyway migrations in "
                    + PgSchema.FLYWAY_LOCATION);
        }
        if (state == DispatcherState.STOPPED) {
            why.add("the outbox dispatcher is turned on (DispatcherSettings are produced) but not running");
        }
        return new Readiness(reachable, reachable && missing.isEmpty(), missing, state, String.join("; ", why));
    }

    private DispatcherState dispatcherState() {
        if (dispatcher.running()) {
            return DispatcherState.RUNNING;
        }
        return settings.isUnsatisfied() ? DispatcherState.NOT_ENABLED : DispatcherState.STOPPED;
    }
}
