package dev.verist.storage.pg.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Type;

/** A row of {@code verist_outbox}: a non-blocking command waiting for, or done with, dispatch. */
@Entity(name = "VeristOutboxEntry")
@Table(name = "verist_outbox")
public class OutboxEntity extends StepRowEntity {

    @Type(StoredJsonType.class)
    @Column(name = "command", nullable = false, columnDefinition = "jsonb")
    private Map<String, Object> command;

    @Column(name = "dedupe_key", nullable = false)
    private String dedupeKey;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "failures", nullable = false)
    private int failures;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "dispatched_at")
    private Instant dispatchedAt;

    @Column(name = "lease_token")
    private Long leaseToken;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    /** For JPA. */
    protected OutboxEntity() {
    }

    /** The command as stored JSON. */
    public Map<String, Object> getCommand() {
        return command;
    }

    /** The command's dedupe key (64 lowercase hex characters). */
    public String getDedupeKey() {
        return dedupeKey;
    }

    /** The wire status: pending, deferred, leased, dispatched, rejected or failed. */
    public String getStatus() {
        return status;
    }

    /** The dispatcher holding the lease, or null. */
    public String getLeaseOwner() {
        return leaseOwner;
    }

    /** When the lease expires, or null. */
    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** How often an attempt was marked failed since the entry was created or last requeued. */
    public int getFailures() {
        return failures;
    }

    /** The error given to the last markFailed, or null. */
    public String getLastError() {
        return lastError;
    }

    /** When the entry was marked dispatched, or null. */
    public Instant getDispatchedAt() {
        return dispatchedAt;
    }

    /** The fencing token of the current lease, or null when not leased (schema V2). */
    public Long getLeaseToken() {
        return leaseToken;
    }

    /** When a pending entry whose attempt failed is due again, or null when due now (schema V2). */
    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }
}
