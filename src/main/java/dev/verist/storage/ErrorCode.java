package dev.verist.storage;

import java.util.Locale;

/** The error family of the storage contract; {@link #wireName()} is the reference adapter's code. */
public enum ErrorCode {
    /** The run (or the thing asked for) does not exist. */
    NOT_FOUND,
    /** A concurrent or repeated write lost; {@link ConflictException#reason()} says which. */
    CONFLICT,
    /** The database failed or could not be reached; retrying later may succeed. */
    CONNECTION_ERROR,
    /** Bad input, or stored data that cannot be read; retrying the same call fails again. */
    SERIALIZATION_ERROR;

    /** The lower-case name the TypeScript adapter uses, e.g. {@code not_found}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
