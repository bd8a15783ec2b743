-- verist-storage-pg schema V2: fenced leases, retries with backoff, dead letters and operator tools.
--
-- Additive for the TypeScript adapter @verist/storage-pg: two nullable columns, a sequence and indexes; its
-- queries name their columns, so it reads and writes these tables as before. Idempotent, like V1.

-- The fencing token of the store's current lease: a new value from the sequence at every lease, cleared when
-- the lease ends. A worker that does not know the column (the TypeScript adapter) leaves it as it is when it
-- leases or finalises; the store's fence also compares lease_expires_at, which every lease sets anew.
ALTER TABLE verist_outbox ADD COLUMN IF NOT EXISTS lease_token BIGINT;
-- When a pending entry whose attempt failed is due again; NULL means due now.
ALTER TABLE verist_outbox ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMPTZ;
CREATE SEQUENCE IF NOT EXISTS verist_outbox_lease_token_seq AS BIGINT;

-- Leasing walks the entries due now in (created_at, id) order, so that taking the oldest stays one cheap
-- ordered scan however many retries wait in the table; retries that have become due are found by their due
-- time. These replace V1's verist_outbox_lease_idx, which held waiting retries too.
CREATE INDEX IF NOT EXISTS verist_outbox_due_idx ON verist_outbox (created_at, id)
    WHERE status = 'pending' AND next_attempt_at IS NULL;
CREATE INDEX IF NOT EXISTS verist_outbox_retry_idx ON verist_outbox (next_attempt_at)
    WHERE status = 'pending' AND next_attempt_at IS NOT NULL;
DROP INDEX IF EXISTS verist_outbox_lease_idx;
