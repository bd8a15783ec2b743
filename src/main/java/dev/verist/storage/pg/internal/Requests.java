package dev.verist.storage.pg.internal;

import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.pg.Resolution;
import java.time.Duration;

/** Checks of the outbox and block arguments that need more than {@code Checks}. */
final class Requests {

    private static final String MAX_BIGINT = Long.toString(Long.MAX_VALUE);

    private Requests() {
    }

    /**
     * An outbox id: ASCII digits only (not {@code Long.parseLong}, which takes other scripts' digits and
     * signs) within the bigint range.
     */
    static long outboxId(String id) {
        if (id == null) {
            throw new InvalidRequestException("outboxId", "is required");
        }
        int start = 0;
        while (start < id.length() - 1 && id.charAt(start) == '0') {
            start++;
        }
        String digits = id.substring(start);
        boolean valid = !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!valid) {
            throw new InvalidRequestException("outboxId", "Invalid outbox ID: " + id);
        }
        if (digits.length() > MAX_BIGINT.length()
                || digits.length() == MAX_BIGINT.length() && digits.compareTo(MAX_BIGINT) > 0) {
            throw new InvalidRequestException("outboxId", "Invalid outbox ID: " + id + " is beyond the bigint range");
        }
        return Long.parseLong(digits);
    }

    /** A positive lease duration in whole microseconds (the database's resolution), at least one. */
    static long leaseMicros(Duration duration) {
        if (duration == null) {
            throw new InvalidRequestException("leaseDuration", "is required");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidRequestException("leaseDuration", "is " + duration + "; it must be positive");
        }
        try {
            long micros = Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1000);
            return Math.max(1, micros);
        } catch (ArithmeticException e) {
            throw new InvalidRequestException("leaseDuration", "is " + duration + ", too long to represent");
        }
    }

    /** A positive batch size. */
    static int limit(int limit) {
        if (limit <= 0) {
            throw new InvalidRequestException("limit", "is " + limit + "; it must be at least 1");
        }
        return limit;
    }

    /** The resolution with its resume data as a storable JSON tree. */
    static Resolution resolution(Resolution resolution) {
        if (resolution == null) {
            throw new InvalidRequestException("resolution", "is required");
        }
        if (resolution instanceof Resolution.Resume resume) {
            return new Resolution.Resume(JsonValues.storable(resume.resumeData(), "resolution.resumeData"));
        }
        return resolution;
    }
}
