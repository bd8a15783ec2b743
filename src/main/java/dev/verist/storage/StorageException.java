package dev.verist.storage;

import jakarta.ejb.ApplicationException;

/**
 * Every failure of a store call. The base class means {@link ErrorCode#CONNECTION_ERROR}: the database
 * failed or was unreachable, and the cause holds the driver's exception. Subclasses carry the other codes.
 * Inside a caller's JTA transaction, a store call that throws leaves that transaction rollback-only; EJB
 * callers receive it as it is (an application exception with rollback), not wrapped in an {@code EJBException}.
 */
@ApplicationException(rollback = true, inherited = true)
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** A connection error with the underlying cause. */
    public StorageException(String message, Throwable cause) {
        this(ErrorCode.CONNECTION_ERROR, message, cause);
    }

    /** For subclasses: an error of the given code. */
    protected StorageException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The contract's error code. */
    public ErrorCode code() {
        return code;
    }
}
