-- The drain's two statements as this store runs them: lease 50 (OutboxSql.LEASE, with a fencing token per row),
-- then finalise the batch by owner (OutboxSql.MARK_ALL_DISPATCHED), each committing alone. Owner 'bench',
-- lease 30 s. The lease's RETURNING list is the store's; the ids go on to the finalisation through \gset.
WITH pending AS (
    SELECT id, created_at FROM verist_outbox WHERE status = 'pending' AND next_attempt_at IS NULL ORDER BY created_at, id LIMIT 50 FOR UPDATE SKIP LOCKED
), retries AS (
    SELECT id, created_at FROM verist_outbox WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED
), expired AS (
    SELECT id, created_at FROM verist_outbox WHERE status = 'leased' AND (lease_expires_at IS NULL OR lease_expires_at < now())
    ORDER BY created_at, id LIMIT 50 FOR UPDATE SKIP LOCKED
), chosen AS (
    SELECT id FROM (SELECT id, created_at FROM pending UNION ALL SELECT id, created_at FROM retries UNION ALL SELECT id, created_at FROM expired) AS c
    ORDER BY created_at, id LIMIT 50
), leased AS (
    UPDATE verist_outbox o SET status = 'leased', lease_owner = 'bench', lease_expires_at = now() + 30000000::float8 * interval '1 microsecond',
        lease_token = nextval('verist_outbox_lease_token_seq'), next_attempt_at = NULL
    FROM chosen WHERE o.id = chosen.id
    RETURNING o.id, o.workflow_id, o.run_id, o.step_id, o.command, o.dedupe_key, o.status, o.last_error,
        o.created_at, o.failures, o.lease_owner, o.lease_token, o.lease_expires_at, o.next_attempt_at
)
SELECT array_agg(id ORDER BY created_at, id) AS ids, count(*) AS n FROM leased
\gset
WITH owned AS (SELECT o.id FROM verist_outbox o WHERE o.id = ANY(:ids::bigint[]) AND o.status = 'leased' AND o.lease_owner = 'bench' ORDER BY o.id FOR UPDATE OF o),
marked AS (UPDATE verist_outbox o SET status = 'dispatched', lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL, last_error = NULL, dispatched_at = now()
  FROM owned WHERE o.id = owned.id AND (SELECT count(*) FROM owned) = :n RETURNING 1)
SELECT (SELECT count(*) FROM owned) AS owned, (SELECT count(*) FROM marked) AS marked;
