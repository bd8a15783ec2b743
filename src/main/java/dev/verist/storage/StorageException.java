package dev.verist.storage;

import dev.verist.storage.internal.Failures;
import jakarta.ejb.ApplicationException;
import java.util.Optional;

/**
 * Every failure of a store call. The base class means {@link ErrorCode#CONNECTION_ERROR}: the database failed,
 * was unreachable or is not set up for the store, and the cause holds the driver's exception. Subclasses carry
 * the other codes. {@link #retryable()} says whether repeating the call can help. Inside a caller's JTA
 * transaction, a store call that throws leaves that transaction rollback-only; EJB callers receive it as it is
 * (an application exception with rollback), not wrapped in an {@code EJBException}.
 */
@ApplicationException(rollback = true, inherited = true)
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;
    private final String sqlState;

    /**
     * A connection error with the underlying cause. Whether it is {@link #retryable()}, and its
     * {@link #sqlState()}, are read from the cause: the first SQLSTATE in its chain, else the kind of exception.
     */
    public StorageException(String message, Throwable cause) {
        this(ErrorCode.CONNECTION_ERROR, message, cause, Failures.retryable(cause));
    }

    /**
     * A connection error that says itself whether retrying can help: for failures the cause cannot tell, such
     * as a persistence unit that does not map the verist entities ({@code retryable} false).
     */
    public StorageException(String message, Throwable cause, boolean retryable) {
        this(ErrorCode.CONNECTION_ERROR, message, cause, retryable);
    }

    /** For subclasses: an error of the given code, which retrying the same call cannot fix. */
    protected StorageException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, false);
    }

    private StorageException(ErrorCode code, String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.sqlState = Failures.sqlState(cause);
    }

    /** The contract's error code. */
    public ErrorCode code() {
        return code;
    }

    /**
     * True when repeating the call later can succeed: a lost or refused connection, a database restart or
     * failover, a timeout, a serialization failure or deadlock, exhausted resources (SQLSTATE class 08, 53,
     * {@code 25006}, {@code 40001}, {@code 40P01}, {@code 55P03}, {@code 57014}, {@code 57P01}-{@code 57P03}),
     * or a connection pool that timed out. False for conflicts, not-found and bad input (their subclasses), and
     * for errors retrying cannot fix: a missing table, a missing privilege, a unit without the verist mapping.
     */
    public boolean retryable() {
        return retryable;
    }

    /** The SQLSTATE of the driver's exception that caused this, when one did. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
