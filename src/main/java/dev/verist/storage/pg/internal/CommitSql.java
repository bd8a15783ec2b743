package dev.verist.storage.pg.internal;

/**
 * A commit is one statement: the state row's insert or update, then its events, its block and its outbox
 * rows, each written only when the state row was (they select from it). Conflicts are reported by
 * {@code ON CONFLICT DO NOTHING} and row counts rather than by unique-violation errors, so they are
 * recognised whatever the constraints are named (a drizzle-kit database names the state key differently)
 * and a caller's transaction is not left in the aborted state. When asked to, it also notifies the outbox
 * channel: only once the state row is written, and sent by PostgreSQL only if the transaction commits.
 */
final class CommitSql {

    // Binds: workflow_id, run_id, computed.
    private static final String CREATE_STATE = """
            WITH state AS (
                INSERT INTO verist_state (workflow_id, run_id, version, computed, overlay, created_at, updated_at)
                VALUES (?, ?, 1, ?::jsonb, '{}', now(), now())
                ON CONFLICT (workflow_id, run_id) DO NOTHING
                RETURNING\s""" + StateSql.COLUMNS + "\n)";

    // Binds: output (merged into computed), workflow_id, run_id, expected version.
    private static final String UPDATE_STATE = """
            WITH state AS (
                UPDATE verist_state SET version = version + 1, computed = computed || ?::jsonb, updated_at = now()
                WHERE workflow_id = ? AND run_id = ? AND version = ?
                RETURNING\s""" + StateSql.COLUMNS + "\n)";

    // Binds: step_id, types[], payloads[], llm_traces[]; step_id, block type, reason, payload, resume_step;
    // step_id, outbox status, commands[], dedupe_keys[]; whether to notify the outbox channel.
    private static final String WRITE_REST = """
            , events AS (
                INSERT INTO verist_events (workflow_id, run_id, step_id, type, payload, llm_trace, created_at)
                SELECT state.workflow_id, state.run_id, ?, e.type, e.payload::jsonb, e.llm_trace::jsonb, now()
                FROM state, unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS e(type, payload, llm_trace, ord)
                ORDER BY e.ord
            ), block AS (
                INSERT INTO verist_blocks (workflow_id, run_id, step_id, type, reason, payload, resume_step, created_at)
                SELECT state.workflow_id, state.run_id, ?, b.type, b.reason, b.payload, b.resume_step, now()
                FROM state, (VALUES (?::text, ?::text, ?::jsonb, ?::text)) AS b(type, reason, payload, resume_step)
                WHERE b.type IS NOT NULL
                ON CONFLICT (workflow_id, run_id) WHERE resolved_at IS NULL DO NOTHING
                RETURNING id
            ), outbox AS (
                INSERT INTO verist_outbox (workflow_id, run_id, step_id, command, dedupe_key, status, created_at)
                SELECT state.workflow_id, state.run_id, ?, o.command::jsonb, o.dedupe_key, ?, now()
                FROM state, unnest(?::text[], ?::text[]) WITH ORDINALITY AS o(command, dedupe_key, ord)
                ORDER BY o.ord
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
            )
            SELECT state.*, (SELECT count(*) FROM block) AS blocks_written, (SELECT count(*) FROM outbox) AS commands_written,
                CASE WHEN ?::boolean THEN (""" + OutboxSql.NOTIFY + """
            ) END AS notified
            FROM state""";

    /** Creates a run ({@code expectedVersion 0}); no row back means the run exists. */
    static final String CREATE = CREATE_STATE + WRITE_REST;

    /** Updates a run at its expected version; no row back means a stale version or a missing run. */
    static final String UPDATE = UPDATE_STATE + WRITE_REST;

    private CommitSql() {
    }
}
