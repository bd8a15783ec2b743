package dev.verist.storage.pg.internal;

/** SQL over {@code verist_outbox}: leasing and finalising. */
final class OutboxSql {

    /** The entry columns, in the order {@link Rows#outboxEntry} reads them. */
    static final String COLUMNS = "id, workflow_id, run_id, step_id, command, dedupe_key, status, last_error, created_at";

    // Two ordered branches instead of one `pending OR expired` predicate, which would keep PostgreSQL from
    // walking an index in order: the pending rows through verist_outbox_lease_idx, the expired leases (few)
    // through verist_outbox_pending_idx; the oldest `limit` of both are leased. Each branch locks at most
    // `limit` rows; rows locked but not chosen are released when the statement's transaction ends.
    // Binds: limit, limit, limit, lease_owner, lease duration in microseconds.
    static final String LEASE = """
            WITH pending AS (
                SELECT id, created_at FROM verist_outbox
                WHERE status = 'pending'
                ORDER BY created_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), expired AS (
                SELECT id, created_at FROM verist_outbox
                WHERE status = 'leased' AND (lease_expires_at IS NULL OR lease_expires_at < now())
                ORDER BY created_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), chosen AS (
                SELECT id FROM (SELECT id, created_at FROM pending UNION ALL SELECT id, created_at FROM expired) AS c
                ORDER BY created_at, id
                LIMIT ?
            ), leased AS (
                UPDATE verist_outbox o
                SET status = 'leased', lease_owner = ?, lease_expires_at = now() + ?::float8 * interval '1 microsecond'
                FROM chosen
                WHERE o.id = chosen.id
                RETURNING o.id, o.workflow_id, o.run_id, o.step_id, o.command, o.dedupe_key, o.status, o.last_error, o.created_at
            )
            SELECT\s""" + COLUMNS + " FROM leased ORDER BY created_at, id";

    // Lease expiry is not checked: an owner may finalise after expiry as long as nobody re-leased the row.
    // Binds: id, lease_owner.
    static final String MARK_DISPATCHED = """
            UPDATE verist_outbox
            SET status = 'dispatched', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, dispatched_at = now()
            WHERE id = ? AND status = 'leased' AND lease_owner = ?""";

    // All or none: the entries still leased by the owner are locked (in id order, so two batches never wait on
    // each other in a cycle) and updated only when they are every entry asked for. A row re-leased meanwhile is
    // re-checked after its lock is granted and drops out, which makes the batch a mismatch. The counts tell the
    // caller how many of the entries the owner still held when none was marked.
    // Binds: ids (bigint[]), lease_owner, the number of ids.
    static final String MARK_ALL_DISPATCHED = """
            WITH owned AS (
                SELECT id FROM verist_outbox
                WHERE id = ANY(?) AND status = 'leased' AND lease_owner = ?
                ORDER BY id
                FOR UPDATE
            ), marked AS (
                UPDATE verist_outbox o
                SET status = 'dispatched', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
                    dispatched_at = now()
                FROM owned
                WHERE o.id = owned.id AND (SELECT count(*) FROM owned) = ?
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM owned) AS owned, (SELECT count(*) FROM marked) AS marked""";

    // Binds: last_error, id, lease_owner.
    static final String MARK_FAILED = """
            UPDATE verist_outbox
            SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, failures = failures + 1, last_error = ?
            WHERE id = ? AND status = 'leased' AND lease_owner = ?""";

    private OutboxSql() {
    }
}
