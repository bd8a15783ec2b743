package dev.verist.storage.pg.internal;

/** Reads of {@code verist_events}; commits write events through {@link CommitSql}. */
final class EventSql {

    /** The event columns, in the order {@link Rows#event} reads them. */
    static final String COLUMNS = "id, workflow_id, run_id, step_id, type, payload, llm_trace, created_at";

    private static final String OF_RUN = "SELECT " + COLUMNS + " FROM verist_events WHERE workflow_id = ? AND run_id = ?";

    // Binds: workflow_id, run_id.
    static final String BY_RUN = OF_RUN + " ORDER BY id";
    // A page is one range walk of verist_events_run_idx (workflow_id, run_id, id) in its order: no sort, and no
    // more rows read than the page holds, however long the run. Binds: workflow_id, run_id, id above, limit.
    static final String PAGE = OF_RUN + " AND id > ? ORDER BY id LIMIT ?";

    private EventSql() {
    }
}
