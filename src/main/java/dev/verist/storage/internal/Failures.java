package dev.verist.storage.internal;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Reads a failure's cause chain: its SQLSTATE, and whether repeating the call can help (by SQLSTATE first). */
public final class Failures {

    // Beyond the classes 08 (connection) and 53 (resources): read-only transaction (a standby after failover),
    // serialization failure, deadlock, lock timeout, statement timeout, shutdown, crash, database starting up.
    private static final Set<String> RETRYABLE_STATES =
            Set.of("25006", "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03");

    // Causes are walked to this depth at most: a cycle or a pathological chain must not hang error handling.
    private static final int MAX_CHAIN = 32;

    private Failures() {
    }

    /** Whether repeating the failed call can succeed, as {@code StorageException.retryable()} documents. */
    public static boolean retryable(Throwable failure) {
        String state = sqlState(failure);
        if (state != null) {
            return retryableState(state);
        }
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CHAIN; depth++, t = t.getCause()) {
            // Pools report a timeout as a transient SQLException (HikariCP's SQLTransientConnectionException).
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SocketException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The first SQLSTATE in the cause chain, or null. */
    public static String sqlState(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CHAIN; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean retryableState(String state) {
        return state.startsWith("08") || state.startsWith("53") || RETRYABLE_STATES.contains(state);
    }
}
