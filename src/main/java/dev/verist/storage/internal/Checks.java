package dev.verist.storage.internal;

import dev.verist.storage.InvalidRequestException;
import java.time.Duration;

/** Argument checks that name the offending field; every store call runs them before touching the database. */
public final class Checks {

    /** Longest id accepted, in Java chars (UTF-16 units). */
    public static final int MAX_ID_LENGTH = 1000;

    private Checks() {
    }

    /** An identifier: present, not blank, at most {@value #MAX_ID_LENGTH} chars, storable as PostgreSQL text. */
    public static String id(String value, String field) {
        return id(value, field, MAX_ID_LENGTH);
    }

    /** An identifier of at most {@code maxLength} chars: present, not blank, storable as PostgreSQL text. */
    public static String id(String value, String field, int maxLength) {
        text(value, field);
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field, "is " + value.length() + " characters long; at most "
                    + maxLength + " are allowed");
        }
        return value;
    }

    /** A required string: present, not blank, storable as PostgreSQL text. */
    public static String text(String value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        if (value.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        storableText(value, field);
        return value;
    }

    /** A string PostgreSQL can store, or null. */
    public static String storableText(String value, String field) {
        String problem = value == null ? null : textProblem(value);
        if (problem != null) {
            throw new InvalidRequestException(field, problem);
        }
        return value;
    }

    /** A required value of any type. */
    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }

    /** A required duration of zero or more. */
    public static Duration notNegative(Duration value, String field) {
        present(value, field);
        if (value.isNegative()) {
            throw new InvalidRequestException(field, "is " + value + "; it must not be negative");
        }
        return value;
    }

    /** A required duration above zero. */
    public static Duration positive(Duration value, String field) {
        present(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidRequestException(field, "is " + value + "; it must be positive");
        }
        return value;
    }

    /**
     * Why PostgreSQL cannot store the string (U+0000, or a surrogate without its pair: the driver would
     * silently corrupt it), or null when it can.
     */
    public static String textProblem(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "contains U+0000, which PostgreSQL cannot store";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return "contains an unpaired surrogate at index " + i + ", which PostgreSQL cannot store";
                }
            }
        }
        return null;
    }
}
