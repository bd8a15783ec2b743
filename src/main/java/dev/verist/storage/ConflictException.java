package dev.verist.storage;

/** A write lost to another or repeated write; {@link #reason()} tells which rule it broke. */
public class ConflictException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final ConflictReason reason;

    /** A conflict for the given reason. */
    public ConflictException(ConflictReason reason, String message) {
        super(ErrorCode.CONFLICT, message, null);
        this.reason = reason;
    }

    /** Which conflict this is; never null. */
    public ConflictReason reason() {
        return reason;
    }
}
