-- The drain's two statements as the V1 store (8bf5715) ran them: lease 50 (OutboxSql.LEASE), then finalise the
-- batch (OutboxSql.MARK_ALL_DISPATCHED), each committing alone. Owner 'bench', lease 30 s.
WITH pending AS (
    SELECT id, created_at FROM verist_outbox WHERE status = 'pending' ORDER BY created_at, id LIMIT 50 FOR UPDATE SKIP LOCKED
), expired AS (
    SELECT id, created_at FROM verist_outbox WHERE status = 'leased' AND (lease_expires_at IS NULL OR lease_expires_at < now())
    ORDER BY created_at, id LIMIT 50 FOR UPDATE SKIP LOCKED
), chosen AS (
    SELECT id FROM (SELECT id, created_at FROM pending UNION ALL SELECT id, created_at FROM expired) AS c ORDER BY created_at, id LIMIT 50
), leased AS (
    UPDATE verist_outbox o SET status = 'leased', lease_owner = 'bench', lease_expires_at = now() + 30000000::float8 * interval '1 microsecond'
    FROM chosen WHERE o.id = chosen.id
    RETURNING o.id, o.workflow_id, o.run_id, o.step_id, o.command, o.dedupe_key, o.status, o.last_error, o.created_at
)
SELECT array_agg(id ORDER BY created_at, id) AS ids, count(*) AS n FROM leased
\gset
WITH owned AS (SELECT id FROM verist_outbox WHERE id = ANY(:ids::bigint[]) AND status = 'leased' AND lease_owner = 'bench' ORDER BY id FOR UPDATE)
UPDATE verist_outbox o SET status = 'dispatched', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, dispatched_at = now()
FROM owned WHERE o.id = owned.id AND (SELECT count(*) FROM owned) = :n;
