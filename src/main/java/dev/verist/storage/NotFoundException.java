package dev.verist.storage;

/** The run the call needs does not exist (for example an update of a run never created). */
public class NotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    /** A not-found error naming what is missing. */
    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message, null);
    }
}
