-- verist-storage-pg schema V3: exactly-once commit acknowledgement.
--
-- Additive for the TypeScript adapter @verist/storage-pg: a table it does not know. Idempotent, like V1.

-- One row per commit that carried a caller's commit id: a repeated commit with the same id is recognised by its
-- key in the statement that would write it, and answered with the version it produced. Written in the commit's
-- own transaction, so a row here means the commit landed. Rows are kept while the run exists; retention that
-- deletes a run deletes its rows here too (there is no foreign key, as there is none on the other tables).
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
