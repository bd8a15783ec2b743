-- verist-storage-pg schema V2: fenced leases, retries with backoff, dead letters and operator tools.
--
-- Additive for the TypeScript adapter @verist/storage-pg: two nullable columns, a sequence, a trigger and
-- indexes; its queries name their columns, so it reads and writes these tables as before. Idempotent, like V1.

-- The fencing token of the current lease: a new value from the sequence at every lease. The store clears it
-- when the lease ends; a worker that does not know the column (the TypeScript adapter) leaves it behind, so
-- it counts only while status is 'leased'.
ALTER TABLE verist_outbox ADD COLUMN IF NOT EXISTS lease_token BIGINT;
-- When a pending entry whose attempt failed is due again; NULL means due now.
ALTER TABLE verist_outbox ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMPTZ;
CREATE SEQUENCE IF NOT EXISTS verist_outbox_lease_token_seq AS BIGINT;

-- A lease taken by a worker that does not set a token (the TypeScript adapter) still gets a new one, so an
-- earlier holder whose lease expired cannot finalise the entry. The condition is checked without calling the
-- function, so leases that set their own token pay nothing for it.
CREATE OR REPLACE FUNCTION verist_outbox_new_lease_token() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT AS
$$
BEGIN
    NEW.lease_token := nextval('verist_outbox_lease_token_seq');
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS verist_outbox_lease_token ON verist_outbox;
CREATE TRIGGER verist_outbox_lease_token
    BEFORE UPDATE OF status ON verist_outbox
    FOR EACH ROW
    WHEN (NEW.status = 'leased' AND NEW.lease_token IS NOT DISTINCT FROM OLD.lease_token)
    EXECUTE FUNCTION verist_outbox_new_lease_token();

-- Leasing walks the entries due now in (created_at, id) order, so that taking the oldest stays one cheap
-- ordered scan however many retries wait in the table; retries that have become due are found by their due
-- time. These replace V1's verist_outbox_lease_idx, which held waiting retries too.
CREATE INDEX IF NOT EXISTS verist_outbox_due_idx ON verist_outbox (created_at, id)
    WHERE status = 'pending' AND next_attempt_at IS NULL;
CREATE INDEX IF NOT EXISTS verist_outbox_retry_idx ON verist_outbox (next_attempt_at)
    WHERE status = 'pending' AND next_attempt_at IS NOT NULL;
DROP INDEX IF EXISTS verist_outbox_lease_idx;
