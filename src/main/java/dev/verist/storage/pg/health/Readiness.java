package dev.verist.storage.pg.health;

import java.util.List;

/**
 * Whether this application's verist side can take work, as {@link VeristHealth#readiness()} found it.
 *
 * @param databaseReachable    whether the database answered
 * @param schemaCurrent        whether it has every object of the latest migration; false when it did not answer
 * @param missingSchemaObjects the latest migration's objects it lacks ({@code verist_outbox.lease_token}, ...);
 *                             empty when current or not reachable
 * @param dispatcher           the in-container dispatcher's state
 * @param detail               why readiness is down, for a person; empty when up
 */
public record Readiness(boolean databaseReachable, boolean schemaCurrent, List<String> missingSchemaObjects,
                        DispatcherState dispatcher, String detail) {

    /** The record, with the list copied. */
    public Readiness {
        missingSchemaObjects = List.copyOf(missingSchemaObjects);
    }

    /**
     * Up when the database answers, its schema is current and the dispatcher is running or not enabled (an
     * application without {@code DispatcherSettings} is ready without it).
     */
    public boolean up() {
        return databaseReachable && schemaCurrent && dispatcher != DispatcherState.STOPPED;
    }
}
