package dev.verist.storage.pg.internal;

import dev.verist.storage.pg.PgSchema;

/** SQL over {@code verist_outbox}: leasing, finalising, retries and the operator tools. */
final class OutboxSql {

    /** The entry columns, in the order {@link Rows#outboxEntry} reads them. */
    static final String COLUMNS = "id, workflow_id, run_id, step_id, command, dedupe_key, status, last_error,"
            + " created_at, failures, lease_owner, lease_token, lease_expires_at, next_attempt_at";

    // Three ordered branches instead of one `pending OR retry due OR expired` predicate, which would keep
    // PostgreSQL from walking an index in order: the entries due now through verist_outbox_due_idx (waiting
    // retries are not in it, however many there are), the retries that have become due through
    // verist_outbox_retry_idx (earliest due first), and the expired leases (few) through
    // verist_outbox_pending_idx; the oldest `limit` of all three are leased. Each branch locks at most `limit`
    // rows; rows locked but not chosen are released when the statement's transaction ends. Every lease takes a
    // new token: it is what fences the OutboxEntry forms of markDispatched and markFailed.
    // Binds: limit, limit, limit, limit, lease_owner, lease duration in microseconds.
    static final String LEASE = """
            WITH pending AS (
                SELECT id, created_at FROM verist_outbox
                WHERE status = 'pending' AND next_attempt_at IS NULL
                ORDER BY created_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), retries AS (
                SELECT id, created_at FROM verist_outbox
                WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), expired AS (
                SELECT id, created_at FROM verist_outbox
                WHERE status = 'leased' AND (lease_expires_at IS NULL OR lease_expires_at < now())
                ORDER BY created_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), chosen AS (
                SELECT id FROM (
                    SELECT id, created_at FROM pending
                    UNION ALL SELECT id, created_at FROM retries
                    UNION ALL SELECT id, created_at FROM expired
                ) AS c
                ORDER BY created_at, id
                LIMIT ?
            ), leased AS (
                UPDATE verist_outbox o
                SET status = 'leased', lease_owner = ?, lease_expires_at = now() + ?::float8 * interval '1 microsecond',
                    lease_token = nextval('verist_outbox_lease_token_seq'), next_attempt_at = NULL
                FROM chosen
                WHERE o.id = chosen.id
                RETURNING o.id, o.workflow_id, o.run_id, o.step_id, o.command, o.dedupe_key, o.status, o.last_error,
                    o.created_at, o.failures, o.lease_owner, o.lease_token, o.lease_expires_at, o.next_attempt_at
            )
            SELECT\s""" + COLUMNS + " FROM leased ORDER BY created_at, id";

    private static final String DISPATCHED = """
            status = 'dispatched', lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL,
                last_error = NULL, dispatched_at = now()""";

    // The reference's rule: the owner name decides. Lease expiry is not checked: an owner may finalise after
    // expiry as long as nobody re-leased the row.
    // Binds: id, lease_owner.
    static final String MARK_DISPATCHED = "UPDATE verist_outbox SET " + DISPATCHED
            + " WHERE id = ? AND status = 'leased' AND lease_owner = ?";

    // The fence of the OutboxEntry forms: the lease's token and its expiry. Every lease by the store takes a new
    // token; every lease by anyone sets a new expiry, so a takeover by a worker that leaves the token as it is
    // (the TypeScript adapter) fails the fence too.
    private static final String FENCE = "status = 'leased' AND lease_token = ? AND lease_expires_at = ?";

    // Binds: id, lease_token, lease_expires_at.
    static final String MARK_LEASE_DISPATCHED = "UPDATE verist_outbox SET " + DISPATCHED + " WHERE id = ? AND " + FENCE;

    // All or none: the entries still held are locked (in id order, so two batches never wait on each other in a
    // cycle) and updated only when they are every entry asked for. A row re-leased meanwhile is re-checked after
    // its lock is granted and drops out, which makes the batch a mismatch. The counts tell the caller how many
    // of the entries were still held when none was marked.
    private static final String MARK_ALL = """
            WITH owned AS (
                SELECT o.id FROM verist_outbox o
                %s
                ORDER BY o.id
                FOR UPDATE OF o
            ), marked AS (
                UPDATE verist_outbox o
                SET %s
                FROM owned
                WHERE o.id = owned.id AND (SELECT count(*) FROM owned) = ?
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM owned) AS owned, (SELECT count(*) FROM marked) AS marked""";

    // Binds: ids (bigint[]), lease_owner, the number of ids.
    static final String MARK_ALL_DISPATCHED = MARK_ALL.formatted(
            "WHERE o.id = ANY(?) AND o.status = 'leased' AND o.lease_owner = ?", DISPATCHED);

    // Each entry fenced as MARK_LEASE_DISPATCHED, the lease given with it.
    // Binds: ids (bigint[]), lease tokens (bigint[]), lease expiries (timestamptz[]), the number of ids.
    static final String MARK_ALL_LEASES_DISPATCHED = MARK_ALL.formatted("""
            JOIN unnest(?::bigint[], ?::bigint[], ?::timestamptz[]) AS lease(id, token, expires)
                  ON o.id = lease.id
                WHERE o.status = 'leased' AND o.lease_token = lease.token AND o.lease_expires_at = lease.expires""",
            DISPATCHED);

    // The reference's terminal failure. Binds: last_error, id, lease_owner.
    static final String MARK_FAILED = """
            UPDATE verist_outbox
            SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL,
                failures = failures + 1, last_error = ?
            WHERE id = ? AND status = 'leased' AND lease_owner = ?""";

    // A failed attempt under a retry policy: pending again after the wait, or a dead letter at the last attempt.
    // `failures` in the SET list is the value before this statement.
    // Binds: last_error, max attempts, max attempts, wait in microseconds, id, lease_token, lease_expires_at.
    static final String MARK_ATTEMPT_FAILED = """
            UPDATE verist_outbox
            SET failures = failures + 1, last_error = ?,
                status = CASE WHEN failures + 1 >= ? THEN 'failed' ELSE 'pending' END,
                next_attempt_at = CASE WHEN failures + 1 >= ? THEN NULL
                                       ELSE now() + ?::float8 * interval '1 microsecond' END,
                lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL
            WHERE id = ? AND\s""" + FENCE + " RETURNING status";

    // Pending again as it was before the lease: attempts and last error kept; due now (NULL, in created_at order)
    // or after the delay.
    // Binds: delay in microseconds, delay in microseconds, id, lease_token, lease_expires_at.
    static final String RELEASE = """
            UPDATE verist_outbox
            SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL,
                next_attempt_at = CASE WHEN ?::float8 > 0 THEN now() + ?::float8 * interval '1 microsecond' END
            WHERE id = ? AND\s""" + FENCE;

    /** {@link #RELEASE} for an entry due at once: it notifies. Same binds. */
    static final String RELEASE_NOW = notifying(RELEASE);

    // Binds: status, limit.
    // One run's entries in id order, any status. Binds: workflow_id, run_id, after id, limit.
    static final String LIST_OF_RUN = "SELECT " + COLUMNS
            + " FROM verist_outbox WHERE workflow_id = ? AND run_id = ? AND id > ? ORDER BY id LIMIT ?";

    static final String LIST_FIRST_PAGE = "SELECT " + COLUMNS
            + " FROM verist_outbox WHERE status = ? ORDER BY created_at, id LIMIT ?";

    // After the anchor entry when it still has the status; else after its id (it was requeued, purged, ...).
    // Binds: afterId, status; status, limit; status, afterId, limit.
    static final String LIST_NEXT_PAGE = "WITH anchor AS (SELECT created_at, id FROM verist_outbox"
            + " WHERE id = ? AND status = ?)"
            + " SELECT " + COLUMNS + " FROM ("
            + "(SELECT " + Rows.qualified("o.", COLUMNS) + " FROM verist_outbox o, anchor a WHERE o.status = ?"
            + " AND (o.created_at, o.id) > (a.created_at, a.id) ORDER BY o.created_at, o.id LIMIT ?)"
            + " UNION ALL"
            + " (SELECT " + Rows.qualified("o.", COLUMNS)
            + " FROM verist_outbox o WHERE NOT EXISTS (SELECT 1 FROM anchor)"
            + " AND o.status = ? AND o.id > ? ORDER BY o.created_at, o.id LIMIT ?)"
            + ") AS page ORDER BY created_at, id";

    private static final String REQUEUED = """
            status = 'pending', failures = 0, next_attempt_at = NULL,
                lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL""";

    // SKIP LOCKED: an operator never waits for, or overtakes, a call that holds the row. Each requeue notifies.
    // Binds: id.
    static final String REQUEUE = notifying("UPDATE verist_outbox SET " + REQUEUED + " WHERE id = (SELECT id"
            + " FROM verist_outbox WHERE id = ? AND status = 'failed' FOR UPDATE SKIP LOCKED)");

    static final String REQUEUE_ALL_FAILED = notifying("UPDATE verist_outbox SET " + REQUEUED + " WHERE id IN"
            + " (SELECT id FROM verist_outbox WHERE status = 'failed' FOR UPDATE SKIP LOCKED)");

    // Binds: workflow_id.
    static final String REQUEUE_FAILED_OF_WORKFLOW = notifying("UPDATE verist_outbox SET " + REQUEUED + " WHERE id IN"
            + " (SELECT id FROM verist_outbox WHERE status = 'failed' AND workflow_id = ? FOR UPDATE SKIP LOCKED)");

    // Binds: dispatched before, limit.
    static final String PURGE_DISPATCHED = """
            DELETE FROM verist_outbox WHERE id IN (
                SELECT id FROM verist_outbox
                WHERE status = 'dispatched' AND dispatched_at < ?
                ORDER BY dispatched_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            )""";

    /** One row: a count per status in {@link dev.verist.storage.pg.OutboxStatus} order, then the three figures. */
    static final String STATS = """
            SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                   count(*) FILTER (WHERE status = 'deferred') AS deferred,
                   count(*) FILTER (WHERE status = 'leased') AS leased,
                   count(*) FILTER (WHERE status = 'dispatched') AS dispatched,
                   count(*) FILTER (WHERE status = 'rejected') AS rejected,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   (extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'
                       AND (next_attempt_at IS NULL OR next_attempt_at <= now()))) * 1000000)::bigint AS oldest_due_micros,
                   count(*) FILTER (WHERE status = 'leased'
                       AND (lease_expires_at IS NULL OR lease_expires_at < now())) AS expired_leases,
                   count(*) FILTER (WHERE status = 'pending' AND next_attempt_at > now()) AS waiting_retries
            FROM verist_outbox""";

    /**
     * Tells listening dispatchers that entries are due: delivered when the transaction commits, and only once
     * per transaction however often it runs. Selects one row.
     */
    static final String NOTIFY = "SELECT 1 FROM pg_notify('" + PgSchema.OUTBOX_CHANNEL + "', '')";

    /**
     * {@code update} as one statement that also notifies when it changed a row, selecting the number of rows it
     * changed.
     */
    private static String notifying(String update) {
        return "WITH changed AS (" + update + " RETURNING 1) SELECT count(*), CASE WHEN count(*) > 0 THEN ("
                + NOTIFY + ") END FROM changed";
    }

    private OutboxSql() {
    }
}
