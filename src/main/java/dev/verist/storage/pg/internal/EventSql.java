package dev.verist.storage.pg.internal;

/** Reads of {@code verist_events}; commits write events through {@link CommitSql}. */
final class EventSql {

    /** The event columns, in the order {@link Rows#event} reads them. */
    static final String COLUMNS = "id, workflow_id, run_id, step_id, type, payload, llm_trace, created_at";

    // Binds: workflow_id, run_id.
    static final String BY_RUN = "SELECT " + COLUMNS + " FROM verist_events WHERE workflow_id = ? AND run_id = ?"
            + " ORDER BY id";

    private EventSql() {
    }
}
