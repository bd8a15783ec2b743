package dev.verist.storage.pg.internal;

/**
 * A commit is one statement: the state row's insert or update, then its events, its block and its outbox
 * rows, each written only when the state row was (they select from it). Conflicts are reported by
 * {@code ON CONFLICT DO NOTHING} and row counts rather than by unique-violation errors, so they are
 * recognised whatever the constraints are named (a drizzle-kit database names the state key differently)
 * and a caller's transaction is not left in the aborted state. When asked to, it also notifies the outbox
 * channel: only once the state row is written, and sent by PostgreSQL only if the transaction commits.
 *
 * <p>A commit with a commit id has statements of its own (so a database without V3's {@code verist_commits}
 * still takes the others): they look the id up first, write only when it has not landed, record it with the
 * state row, and otherwise return the run's state with the landing's step, expected version and version.
 */
final class CommitSql {

    // Binds: workflow_id, run_id, commit_id.
    private static final String LANDED = """
            WITH landed AS (
                SELECT step_id, expected_version, version FROM verist_commits
                WHERE workflow_id = ? AND run_id = ? AND commit_id = ?
            ), """;

    // Binds: workflow_id, run_id, computed.
    private static final String CREATE_STATE = """
            state AS (
                INSERT INTO verist_state (workflow_id, run_id, version, computed, overlay, created_at, updated_at)
                VALUES (?, ?, 1, ?::jsonb, '{}', now(), now())
                ON CONFLICT (workflow_id, run_id) DO NOTHING
                RETURNING\s""" + StateSql.COLUMNS + "\n)";

    // As CREATE_STATE, but only when the commit id has not landed.
    private static final String CREATE_STATE_ONCE = replacing(CREATE_STATE,
            "VALUES (?, ?, 1, ?::jsonb, '{}', now(), now())",
            "SELECT ?, ?, 1, ?::jsonb, '{}', now(), now() WHERE NOT EXISTS (SELECT 1 FROM landed)");

    // Binds: output (merged into computed), workflow_id, run_id, expected version.
    private static final String UPDATE_STATE = """
            state AS (
                UPDATE verist_state SET version = version + 1, computed = computed || ?::jsonb, updated_at = now()
                WHERE workflow_id = ? AND run_id = ? AND version = ?
                RETURNING\s""" + StateSql.COLUMNS + "\n)";

    // As UPDATE_STATE, but only when the commit id has not landed.
    private static final String UPDATE_STATE_ONCE = replacing(UPDATE_STATE,
            "AND version = ?", "AND version = ? AND NOT EXISTS (SELECT 1 FROM landed)");

    // Binds: commit_id, step_id, expected_version.
    private static final String RECORD = """
            , recorded AS (
                INSERT INTO verist_commits (workflow_id, run_id, commit_id, step_id, expected_version, version, created_at)
                SELECT state.workflow_id, state.run_id, ?, ?, ?, state.version, now() FROM state
            )""";

    // Binds: step_id, types[], payloads[], llm_traces[]; step_id, block type, reason, payload, resume_step;
    // step_id, outbox status, commands[], dedupe_keys[].
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
            """;

    // Binds: whether to notify the outbox channel.
    private static final String WRITTEN = """
            SELECT state.*, (SELECT count(*) FROM block) AS blocks_written, (SELECT count(*) FROM outbox) AS commands_written,
                CASE WHEN ?::boolean THEN (""" + OutboxSql.NOTIFY + """
            ) END AS notified
            FROM state""";

    // Binds: whether to notify the outbox channel; workflow_id, run_id (the current state of a landed commit).
    private static final String WRITTEN_OR_LANDED = """
            SELECT s.*, (SELECT count(*) FROM block) AS blocks_written, (SELECT count(*) FROM outbox) AS commands_written,
                CASE WHEN ?::boolean AND landed.version IS NULL THEN (""" + OutboxSql.NOTIFY + """
            ) END AS notified,
                landed.step_id AS landed_step_id, landed.expected_version AS landed_expected_version,
                landed.version AS landed_version
            FROM (
                SELECT * FROM state
                UNION ALL
                SELECT\s""" + StateSql.COLUMNS + """
             FROM verist_state WHERE workflow_id = ? AND run_id = ? AND EXISTS (SELECT 1 FROM landed)
            ) AS s LEFT JOIN landed ON true""";

    /** Creates a run ({@code expectedVersion 0}); no row back means the run exists. */
    static final String CREATE = "WITH " + CREATE_STATE + WRITE_REST + WRITTEN;

    /** Updates a run at its expected version; no row back means a stale version or a missing run. */
    static final String UPDATE = "WITH " + UPDATE_STATE + WRITE_REST + WRITTEN;

    /** {@link #CREATE} unless the commit id has landed: then its run's state and the landing, nothing written. */
    static final String CREATE_ONCE = LANDED + CREATE_STATE_ONCE + RECORD + WRITE_REST + WRITTEN_OR_LANDED;

    /** {@link #UPDATE} unless the commit id has landed: then its run's state and the landing, nothing written. */
    static final String UPDATE_ONCE = LANDED + UPDATE_STATE_ONCE + RECORD + WRITE_REST + WRITTEN_OR_LANDED;

    /**
     * A commit id's landing and its run's current state (null columns when the run is gone), after a commit
     * statement found neither: a commit racing the one that landed it waits for that one, then writes nothing.
     * Binds: workflow_id, run_id, commit_id.
     */
    static final String LANDING = "SELECT s." + StateSql.COLUMNS.replace(", ", ", s.") + """
            , c.step_id AS landed_step_id, c.expected_version AS landed_expected_version, c.version AS landed_version
            FROM verist_commits c
            LEFT JOIN verist_state s ON s.workflow_id = c.workflow_id AND s.run_id = c.run_id
            WHERE c.workflow_id = ? AND c.run_id = ? AND c.commit_id = ?""";

    private CommitSql() {
    }

    // A statement derived from another; fails at class initialisation if the part to replace is gone.
    private static String replacing(String sql, String part, String replacement) {
        if (!sql.contains(part)) {
            throw new IllegalStateException("no '" + part + "' in " + sql);
        }
        return sql.replace(part, replacement);
    }
}
