package dev.verist.storage;

/**
 * The call's arguments break the contract; the message names the field. Thrown before anything is
 * written. {@link #code()} is {@link ErrorCode#SERIALIZATION_ERROR}, as the reference reports bad input.
 */
public class InvalidRequestException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /** Bad input in {@code field} (a path such as {@code commands[1].step}). */
    public InvalidRequestException(String field, String problem) {
        super(ErrorCode.SERIALIZATION_ERROR, field + ": " + problem, null);
        this.field = field;
    }

    /** The offending field, as a path from the call's arguments (e.g. {@code events[0].llmTrace.model}). */
    public String field() {
        return field;
    }
}
