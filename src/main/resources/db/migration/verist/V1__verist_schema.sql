-- verist-storage-pg reference schema (PostgreSQL 12 or newer).
--
-- The table, column, constraint and index names are the wire contract shared with the TypeScript
-- adapter @verist/storage-pg: Java and TypeScript workers can share a database created from this file
-- or from the adapter's own schema. The statements are idempotent, so the file can be applied again.
-- Flyway users need not copy it: the jar carries it as classpath:db/migration/verist/V1__verist_schema.sql.

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
-- Leasing walks this index in (created_at, id) order over the pending rows, so that taking the oldest
-- stays one cheap ordered scan on a large outbox; expired leases, few, are found through
-- verist_outbox_pending_idx. Leased rows stay out of it, so a drained row leaves one dead entry behind, not
-- two. Optional for correctness; a database created by the TypeScript adapter works without it.
CREATE INDEX IF NOT EXISTS verist_outbox_lease_idx ON verist_outbox (created_at, id)
    WHERE status = 'pending';

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
