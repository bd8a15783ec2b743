package dev.verist.storage.pg.internal;

import java.util.List;

/** SQL over the catalog: which objects of the latest migration the connection's schema lacks. */
final class SchemaSql {

    /** The latest migration, as its Flyway version names it. */
    static final String LATEST_MIGRATION = "V4";

    /**
     * The objects the migrations after V1 add, up to {@link #LATEST_MIGRATION}, each as a table and a column, a
     * table alone, a sequence, or an index and a column it holds. A new migration appends its objects (and moves
     * {@link #LATEST_MIGRATION}); the query stays as it is.
     */
    static final List<SchemaObject> LATEST_OBJECTS = List.of(
            SchemaObject.column("verist_outbox", "lease_token"),       // V2
            SchemaObject.column("verist_outbox", "next_attempt_at"),   // V2
            SchemaObject.sequence("verist_outbox_lease_token_seq"),    // V2
            SchemaObject.table("verist_commits"),                      // V3
            SchemaObject.indexColumn("verist_events_run_idx", "id"));  // V4

    // One catalog lookup per expected object, in the schema the store's statements resolve unqualified names in
    // (current_schema(): the first existing schema of search_path, NULL when none exists, so then all are missing).
    // Binds: relation names, column names ('' for a sequence), relkinds ('r' table, 'S' sequence, 'i' index), as
    // text arrays. An index's pg_attribute rows carry the names of the table columns it holds.
    static final String MISSING = """
            SELECT e.relation, e.attribute
            FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS e(relation, attribute, relkind, position)
            WHERE NOT EXISTS (
                SELECT 1
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema()
                  AND c.relname = e.relation
                  AND c.relkind::text = e.relkind
                  AND (e.attribute = '' OR EXISTS (
                      SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = e.attribute AND a.attnum > 0 AND NOT a.attisdropped)))
            ORDER BY e.position""";

    private SchemaSql() {
    }

    /** A table's column, a table or a sequence that a migration creates. */
    record SchemaObject(String relation, String column, String relkind) {

        static SchemaObject column(String table, String column) {
            return new SchemaObject(table, column, "r");
        }

        static SchemaObject table(String name) {
            return new SchemaObject(name, "", "r");
        }

        static SchemaObject sequence(String name) {
            return new SchemaObject(name, "", "S");
        }

        static SchemaObject indexColumn(String index, String column) {
            return new SchemaObject(index, column, "i");
        }

        /** {@code table.column} (or {@code index.column}), or the table's or sequence's name. */
        String describe() {
            return column.isEmpty() ? relation : relation + "." + column;
        }
    }
}
