package dev.verist.storage;

/**
 * A row in the database holds something this library cannot read (for example an unknown block type
 * written by another tool). {@link #code()} is {@link ErrorCode#SERIALIZATION_ERROR}.
 */
public class StoredDataException extends StorageException {
    private static final long serialVersionUID = 1L;

    /** Unreadable stored data, described by the message. */
    public StoredDataException(String message, Throwable cause) {
        super(ErrorCode.SERIALIZATION_ERROR, message, cause);
    }
}
