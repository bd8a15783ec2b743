package dev.verist.storage.pg.internal;

/** SQL over {@code verist_blocks} (and the outbox rows a resolution releases or adds). */
final class BlockSql {

    /** The block columns, in the order {@link Rows#block} reads them. */
    static final String COLUMNS = "id, workflow_id, run_id, step_id, type, reason, payload, resume_step, created_at";

    // A concurrent resolver waits here; once the first commits, the row no longer matches and it sees none.
    static final String LOCK_ACTIVE = "SELECT " + COLUMNS + """
             FROM verist_blocks
            WHERE workflow_id = ? AND run_id = ? AND resolved_at IS NULL
            FOR UPDATE""";

    // Binds: approved, workflow_id, run_id, step_id; resolution, block id.
    static final String RESOLVE_REVIEW = """
            WITH released AS (
                UPDATE verist_outbox
                SET status = CASE WHEN ? THEN 'pending' ELSE 'rejected' END, lease_owner = NULL, lease_expires_at = NULL
                WHERE workflow_id = ? AND run_id = ? AND step_id = ? AND status = 'deferred'
                RETURNING 1
            )
            UPDATE verist_blocks SET resolution = ?::jsonb, resolved_at = now() WHERE id = ?""";

    // ON CONFLICT: a resolve retried after a lost answer must not fail on its own resume row.
    // Binds: workflow_id, run_id, step_id, command, dedupe_key; resolution, block id.
    static final String RESOLVE_SUSPEND = """
            WITH resumed AS (
                INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status, created_at)
                VALUES (?, ?, ?, ?::jsonb, ?, 'pending', now())
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING 1
            )
            UPDATE verist_blocks SET resolution = ?::jsonb, resolved_at = now() WHERE id = ?""";

    // Binds: workflow_id, run_id.
    static final String ACTIVE = "SELECT " + COLUMNS
            + " FROM verist_blocks WHERE workflow_id = ? AND run_id = ? AND resolved_at IS NULL";

    // A run's blocks, resolved or not. Binds: workflow_id, run_id.
    static final String OF_RUN = "SELECT " + COLUMNS + ", resolution, resolved_at"
            + " FROM verist_blocks WHERE workflow_id = ? AND run_id = ? ORDER BY id";

    // The inbox: a backward walk of the primary key over active blocks. Binds: workflow_id twice, type twice,
    // before id twice (each null for any), limit.
    private static final String ACTIVE_ACROSS_RUNS_WHERE = """
             WHERE b.resolved_at IS NULL
              AND (b.workflow_id = ? OR ?::text IS NULL)
              AND (b.type = ? OR ?::text IS NULL)
              AND (b.id < ? OR ?::bigint IS NULL)
            ORDER BY b.id DESC
            LIMIT ?""";

    static final String ACTIVE_ACROSS_RUNS = "SELECT " + COLUMNS + " FROM verist_blocks b" + ACTIVE_ACROSS_RUNS_WHERE;

    // The same walk, each block with its run's state row (found by the state's primary key). Every block has one:
    // the commit that puts a block up writes its run's state in the same transaction. Same binds.
    static final String WAITING_RUNS = "SELECT " + Rows.qualified("b.", COLUMNS) + ", "
            + Rows.qualified("s.", StateSql.COLUMNS) + " FROM verist_blocks b JOIN verist_state s"
            + " ON s.workflow_id = b.workflow_id AND s.run_id = b.run_id" + ACTIVE_ACROSS_RUNS_WHERE;

    // Who resolved a block, as an audit event of its step. Binds: workflow_id, run_id, step_id, type, payload.
    static final String RECORD_RESOLUTION = """
            INSERT INTO verist_events (workflow_id, run_id, step_id, type, payload, created_at)
            VALUES (?, ?, ?, ?, ?::jsonb, now())""";

    private BlockSql() {
    }
}
