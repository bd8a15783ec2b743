package dev.verist.storage.pg.internal;

import dev.verist.storage.StorageException;
import dev.verist.storage.internal.Failures;
import dev.verist.storage.pg.PgSchema;

/**
 * Turns every failure that is not already a {@link StorageException} (driver, JPA and Hibernate exceptions: a
 * lost connection, a timeout, a restarted database, a missing table) into a connection error that keeps the
 * cause, says whether retrying can help, and for set-up errors names the fix.
 */
final class StorageErrors {

    private static final int MAX_CHAIN = 32;

    private StorageErrors() {
    }

    static StorageException translate(RuntimeException failure, String operation) {
        if (failure instanceof StorageException storage) {
            return storage;
        }
        Throwable cause = failure instanceof SqlFailure sql ? sql.getCause() : failure;
        return new StorageException(operation + " failed: " + rootMessage(cause) + fix(Failures.sqlState(cause)), cause);
    }

    // What an operator must do for the errors a retry cannot fix; empty for the others.
    private static String fix(String sqlState) {
        if (sqlState == null) {
            return "";
        }
        return switch (sqlState) {
            case "42P01" -> " (the verist tables are missing or out of date, such as V3's verist_commits, which"
                    + " commits with a commitId need: run schema.sql or the Flyway migrations in "
                    + PgSchema.FLYWAY_LOCATION + ")";
            case "42703" -> " (the verist tables lack a column: the database predates a migration, such as V2's"
                    + " lease_token and next_attempt_at; run schema.sql or the Flyway migrations in "
                    + PgSchema.FLYWAY_LOCATION + ")";
            case "3F000" -> " (the schema the connection works in does not exist: create it, or fix currentSchema"
                    + " or search_path)";
            case "42501" -> " (the database user lacks a privilege: grant SELECT, INSERT, UPDATE, DELETE on the"
                    + " verist tables and USAGE on their sequences)";
            default -> "";
        };
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < MAX_CHAIN; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
