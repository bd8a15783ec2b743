-- verist-storage-pg schema V4: a run's audit trail read in pages.
--
-- verist_events_run_idx gains the event id as its last column, so that a page of a run's events (after an id,
-- in id order, up to a limit) is one index range walk however long the run is.
-- The index keeps its name, which is part of the wire contract: the TypeScript adapter @verist/storage-pg
-- creates it IF NOT EXISTS, so it leaves this one as it is, and its reads of a run's events use it as before.
-- Idempotent, like V1: an index that already holds the id is left alone.
--
-- Building the index blocks writes to verist_events while it runs. On a large table, build it beforehand
-- without blocking; this migration then only swaps the names:
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
