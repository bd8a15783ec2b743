package dev.verist.storage.pg.internal;

import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.internal.Checks;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.RetryPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Checks of the outbox and block arguments that need more than {@code Checks}. */
final class Requests {

    private static final String MAX_BIGINT = Long.toString(Long.MAX_VALUE);
    // What parseId returns for an id it rejects (a valid id is never negative).
    private static final long MISSING = -1;
    private static final long NOT_DIGITS = -2;
    private static final long BEYOND_BIGINT = -3;

    private Requests() {
    }

    /**
     * An outbox id: ASCII digits only (not {@code Long.parseLong}, which takes other scripts' digits and
     * signs) within the bigint range.
     */
    static long outboxId(String id, String field) {
        return sequenceId(id, "outbox", field);
    }

    /** A block id, checked as {@link #outboxId} checks an outbox id: both are the decimal of a bigserial. */
    static long blockId(String id, String field) {
        return sequenceId(id, "block", field);
    }

    /** An event id, checked as {@link #outboxId} checks an outbox id: both are the decimal of a bigserial. */
    static long eventId(String id, String field) {
        return sequenceId(id, "event", field);
    }

    private static long sequenceId(String id, String kind, String field) {
        long parsed = parseId(id);
        if (parsed < 0) {
            throw invalidId(kind, id, parsed, field);
        }
        return parsed;
    }

    /**
     * Outbox ids, each as {@link #outboxId} checks it, none twice ("7" and "007" are the same entry); boxed,
     * as JDBC binds arrays.
     */
    static Long[] outboxIds(Collection<String> ids) {
        if (ids == null) {
            throw new InvalidRequestException("outboxIds", "is required");
        }
        Long[] parsed = new Long[ids.size()];
        Map<Long, Integer> positions = new HashMap<>(ids.size() * 2);
        int i = 0;
        for (String id : ids) {
            long value = parseId(id);
            if (value < 0) {
                throw invalidId("outbox", id, value, "outboxIds[" + i + "]");
            }
            parsed[i] = firstTime(positions, value, i, "outboxIds");
            i++;
        }
        return parsed;
    }

    // The id, or one of the negative codes above: the caller names the field only when the id is bad.
    private static long parseId(String id) {
        if (id == null) {
            return MISSING;
        }
        int start = 0;
        while (start < id.length() - 1 && id.charAt(start) == '0') {
            start++;
        }
        int length = id.length() - start;
        if (length == 0) {
            return NOT_DIGITS;
        }
        for (int k = start; k < id.length(); k++) {
            char c = id.charAt(k);
            if (c < '0' || c > '9') {
                return NOT_DIGITS;
            }
        }
        if (length > MAX_BIGINT.length()
                || length == MAX_BIGINT.length() && id.substring(start).compareTo(MAX_BIGINT) > 0) {
            return BEYOND_BIGINT;
        }
        return Long.parseLong(id, start, id.length(), 10);
    }

    private static InvalidRequestException invalidId(String kind, String id, long code, String field) {
        if (code == MISSING) {
            return new InvalidRequestException(field, "is required");
        }
        return new InvalidRequestException(field, code == BEYOND_BIGINT
                ? "Invalid " + kind + " ID: " + id + " is beyond the bigint range"
                : "Invalid " + kind + " ID: " + id);
    }

    /** The entry's id, checked as {@link #outboxId} checks it; {@code field} names the entry. */
    static long leasedId(OutboxEntry leased, String field) {
        if (leased == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return outboxId(leased.id(), field + ".id");
    }

    /** The leases of a batch, as arrays to bind: entry {@code i} is {@code ids[i]}, {@code tokens[i]}, ... */
    record Leases(Long[] ids, Long[] tokens, String[] expiries) {
    }

    /**
     * The entries' ids, lease tokens and lease expiries (ISO-8601, as PostgreSQL reads a timestamptz; null for an
     * entry that is no lease), each entry checked as {@link #leasedId} checks it and none given twice.
     */
    static Leases leases(Collection<OutboxEntry> leased) {
        if (leased == null) {
            throw new InvalidRequestException("leased", "is required");
        }
        Long[] ids = new Long[leased.size()];
        Long[] tokens = new Long[leased.size()];
        String[] expiries = new String[leased.size()];
        Map<Long, Integer> positions = new HashMap<>(leased.size() * 2);
        int i = 0;
        for (OutboxEntry entry : leased) {
            ids[i] = firstTime(positions, leasedId(entry, "leased[" + i + "]"), i, "leased");
            tokens[i] = entry.leaseToken();
            expiries[i] = entry.leaseExpiresAt() == null ? null : entry.leaseExpiresAt().toString();
            i++;
        }
        return new Leases(ids, tokens, expiries);
    }

    // No entry twice in one batch ("7" and "007" are the same entry): `id`, at position `i` of `field`.
    private static long firstTime(Map<Long, Integer> positions, long id, int i, String field) {
        Integer earlier = positions.putIfAbsent(id, i);
        if (earlier != null) {
            throw new InvalidRequestException(field + "[" + i + "]",
                    "repeats " + field + "[" + earlier + "] (entry " + id + ")");
        }
        return id;
    }

    /** A retry policy that {@code markFailed} can apply: every field in range. */
    static RetryPolicy retryPolicy(RetryPolicy policy) {
        if (policy == null) {
            throw new InvalidRequestException("policy", "is required");
        }
        if (policy.maxAttempts() < 1) {
            throw new InvalidRequestException("policy.maxAttempts", "is " + policy.maxAttempts()
                    + "; it must be at least 1");
        }
        Checks.notNegative(policy.initialBackoff(), "policy.initialBackoff");
        Checks.notNegative(policy.maxBackoff(), "policy.maxBackoff");
        if (!(policy.multiplier() >= 1)) {
            throw new InvalidRequestException("policy.multiplier", "is " + policy.multiplier()
                    + "; it must be a number of at least 1");
        }
        return policy;
    }

    /** The wait before the next attempt in whole microseconds: the policy's backoff, or with jitter a share of it. */
    static double retryWaitMicros(RetryPolicy policy, int failedAttempts) {
        double micros = delayMicros(policy.backoff(failedAttempts), "policy.backoff");
        return policy.jitter() ? Math.floor(ThreadLocalRandom.current().nextDouble() * micros) : micros;
    }

    /** A delay of zero or more in microseconds. */
    static double delayMicros(Duration delay, String field) {
        Checks.notNegative(delay, field);
        return delay.getSeconds() * 1e6 + delay.getNano() / 1e3;
    }

    /** A positive lease duration in whole microseconds (the database's resolution), at least one. */
    static long leaseMicros(Duration duration) {
        Checks.positive(duration, "leaseDuration");
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
