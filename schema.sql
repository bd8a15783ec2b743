-- verist-storage-pg reference schema (PostgreSQL 12 or newer).
--
-- The table, column, constraint and index names are the wire contract shared with the TypeScript
-- adapter @verist/storage-pg: Java and TypeScript workers can share a database created from this file
-- or from the adapter's own schema. The statements are idempotent, so the file can be applied again, also to
-- a database made by an earlier version of it, which it brings up to date.
-- This file is the Flyway migrations of classpath:db/migration/verist applied in order (V1__verist_schema.sql,
-- V2__verist_fenced_leases_and_retries.sql, V3__verist_commit_ids.sql, V4__verist_events_in_pages.sql); Flyway users
-- need not copy it.

-- One row per run: the state is the run (there is no runs table).
CREATE TABLE IF NOT EXISTS verist_state (
    workflow_id TEXT        NOT NULL,
    run_id      TEXT        NOT NULL,
    version     INTEGER     NOT NULL DEFAULT 0,
    computed    JSONB       NOT NULL DEFAULT '{}',
    overlay     JSONB       NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT verist_state_pkey PRIMARY KEY (workflow_id, run_id)
);

-- The audit trail: append-only (see the trigger below).
CREATE TABLE IF NOT EXISTS verist_events (
    id          BIGSERIAL   NOT NULL,
    workflow_id TEXT        NOT NULL,
    run_id      TEXT        NOT NULL,
    step_id     TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    payload     JSONB,
    llm_trace   JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT verist_events_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS verist_events_run_idx ON verist_events (workflow_id, run_id);

-- The transactional outbox of non-blocking commands.
-- status: pending | deferred | leased | dispatched | rejected | failed
CREATE TABLE IF NOT EXISTS verist_outbox (
    id               BIGSERIAL   NOT NULL,
    workflow_id      TEXT        NOT NULL,
    run_id           TEXT        NOT NULL,
    step_id          TEXT        NOT NULL,
    command          JSONB       NOT NULL,
    dedupe_key       TEXT        NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'pending',
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    failures         INTEGER     NOT NULL DEFAULT 0,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    dispatched_at    TIMESTAMPTZ,
    CONSTRAINT verist_outbox_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX IF NOT EXISTS verist_outbox_dedupe_idx ON verist_outbox (dedupe_key);
CREATE INDEX IF NOT EXISTS verist_outbox_pending_idx ON verist_outbox (status, created_at);

-- Since V2: fenced leases, retries with backoff and dead letters.
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

-- Review and suspend gates: at most one unresolved block per run.
-- type: review | suspend
CREATE TABLE IF NOT EXISTS verist_blocks (
    id          BIGSERIAL   NOT NULL,
    workflow_id TEXT        NOT NULL,
    run_id      TEXT        NOT NULL,
    step_id     TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    payload     JSONB,
    resume_step TEXT,
    resolution  JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    CONSTRAINT verist_blocks_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX IF NOT EXISTS verist_blocks_active_idx ON verist_blocks (workflow_id, run_id)
    WHERE resolved_at IS NULL;
CREATE INDEX IF NOT EXISTS verist_blocks_pending_idx ON verist_blocks (workflow_id, run_id);

-- Events are append-only: the database refuses UPDATE and DELETE on verist_events, whoever asks.
-- TRUNCATE stays possible for retention. To delete old events row by row, an operator who owns the table
-- lifts the rule for one transaction and puts it back in the same one:
--   BEGIN;
--   ALTER TABLE verist_events DISABLE TRIGGER verist_events_append_only;
--   DELETE FROM verist_events WHERE created_at < now() - interval '400 days';
--   ALTER TABLE verist_events ENABLE TRIGGER verist_events_append_only;
--   COMMIT;
CREATE OR REPLACE FUNCTION verist_events_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'verist_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'See schema.sql for how an operator lifts this for retention.';
END;
$$;
DROP TRIGGER IF EXISTS verist_events_append_only ON verist_events;
CREATE TRIGGER verist_events_append_only
    BEFORE UPDATE OR DELETE ON verist_events
    FOR EACH STATEMENT EXECUTE FUNCTION verist_events_append_only();

-- Since V3: exactly-once commit acknowledgement. One row per commit that carried a caller's commit id, written
-- in the commit's own statement: a repeated commit with the same id is answered with the version it produced.
-- Kept while the run exists; retention that deletes a run deletes its rows here too (no foreign key, as on the
-- other tables).
CREATE TABLE IF NOT EXISTS verist_commits (
    workflow_id      TEXT        NOT NULL,
    run_id           TEXT        NOT NULL,
    commit_id        TEXT        NOT NULL,
    step_id          TEXT        NOT NULL,
    expected_version INTEGER     NOT NULL,
    version          INTEGER     NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT verist_commits_pkey PRIMARY KEY (workflow_id, run_id, commit_id)
);

-- Since V4: a run's audit trail read in pages. verist_events_run_idx gains the event id as its last column, so
-- that a page of a run's events is one index range walk however long the run is; the index keeps its name (the
-- wire contract; the TypeScript adapter creates it IF NOT EXISTS and leaves this one as it is). An index that
-- already holds the id is left alone. Building it blocks writes to verist_events while it runs: on a large
-- table, build it beforehand without blocking, and this only swaps the names:
--   CREATE INDEX CONCURRENTLY verist_events_run_page_idx ON verist_events (workflow_id, run_id, id);
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                   WHERE attrelid = to_regclass('verist_events_run_idx') AND attname = 'id') THEN
        -- A concurrent build that failed leaves an invalid index behind: build that one again.
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_index
                   WHERE indexrelid = to_regclass('verist_events_run_page_idx') AND NOT indisvalid) THEN
            DROP INDEX verist_events_run_page_idx;
        END IF;
        CREATE INDEX IF NOT EXISTS verist_events_run_page_idx ON verist_events (workflow_id, run_id, id);
        DROP INDEX IF EXISTS verist_events_run_idx;
        ALTER INDEX verist_events_run_page_idx RENAME TO verist_events_run_idx;
    END IF;
END
$$;
