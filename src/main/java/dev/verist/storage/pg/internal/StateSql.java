package dev.verist.storage.pg.internal;

/** SQL over {@code verist_state} outside commits: reads and overlay writes. */
final class StateSql {

    /** The state columns, in the order {@link Rows#state} reads them. */
    static final String COLUMNS = "workflow_id, run_id, version, computed, overlay, created_at, updated_at";

    static final String LOAD = "SELECT " + COLUMNS + " FROM verist_state WHERE workflow_id = ? AND run_id = ?";

    static final String CURRENT_VERSION = "SELECT version FROM verist_state WHERE workflow_id = ? AND run_id = ?";

    // Shallow, last write wins per key; the version is left alone on purpose (overlay is not a step result).
    static final String SET_OVERLAY = """
            UPDATE verist_state SET overlay = overlay || ?::jsonb, updated_at = now()
            WHERE workflow_id = ? AND run_id = ?
            RETURNING\s""" + COLUMNS;

    private StateSql() {
    }
}
