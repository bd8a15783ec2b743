package dev.verist.storage.pg.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Type;

/** A row of {@code verist_blocks}: a review or suspend gate, active while {@code resolvedAt} is null. */
@Entity(name = "VeristBlock")
@Table(name = "verist_blocks")
public class BlockEntity extends StepRowEntity {

    @Column(name = "type", nullable = false)
    private String type;

    @Column(name = "reason", nullable = false)
    private String reason;

    @Type(StoredJsonType.class)
    @Column(name = "payload", columnDefinition = "jsonb")
    private Object payload;

    @Column(name = "resume_step")
    private String resumeStep;

    @Type(StoredJsonType.class)
    @Column(name = "resolution", columnDefinition = "jsonb")
    private Object resolution;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    /** For JPA. */
    protected BlockEntity() {
    }

    /** The wire type: review or suspend. */
    public String getType() {
        return type;
    }

    /** Why the run is blocked. */
    public String getReason() {
        return reason;
    }

    /** The review's context or the suspend's checkpoint, or null. */
    public Object getPayload() {
        return payload;
    }

    /** The step a suspend resumes at, or null. */
    public String getResumeStep() {
        return resumeStep;
    }

    /** The stored resolution ({@code {approved}} or {@code {resumeData}}), or null while active. */
    public Object getResolution() {
        return resolution;
    }

    /** When it was resolved, or null while active. */
    public Instant getResolvedAt() {
        return resolvedAt;
    }
}
