package dev.verist.storage.pg.internal;

/** Reads of {@code verist_events}; commits write events through {@link CommitSql}. */
final class EventSql {

    /** JPQL: a run's events in commit order. */
    static final String BY_RUN_JPQL =
            "SELECT e FROM VeristEvent e WHERE e.workflowId = :workflowId AND e.runId = :runId ORDER BY e.id";

    private EventSql() {
    }
}
