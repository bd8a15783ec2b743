package dev.verist.storage.pg.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Type;

/** A row of {@code verist_state}: one run, its version and its computed and overlay layers. */
@Entity(name = "VeristRunState")
@Table(name = "verist_state")
@IdClass(RunKey.class)
public class RunStateEntity {

    @Id
    @Column(name = "workflow_id", nullable = false)
    private String workflowId;

    @Id
    @Column(name = "run_id", nullable = false)
    private String runId;

    @Column(name = "version", nullable = false)
    private int version;

    @Type(StoredJsonType.class)
    @Column(name = "computed", nullable = false, columnDefinition = "jsonb")
    private Map<String, Object> computed;

    @Type(StoredJsonType.class)
    @Column(name = "overlay", nullable = false, columnDefinition = "jsonb")
    private Map<String, Object> overlay;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** For JPA. */
    protected RunStateEntity() {
    }

    /** The workflow id. */
    public String getWorkflowId() {
        return workflowId;
    }

    /** The run id. */
    public String getRunId() {
        return runId;
    }

    /** The run's version: 1 after the create, +1 per commit. */
    public int getVersion() {
        return version;
    }

    /** State written by steps. */
    public Map<String, Object> getComputed() {
        return computed;
    }

    /** Human corrections, on top of {@link #getComputed()} per top-level key. */
    public Map<String, Object> getOverlay() {
        return overlay;
    }

    /** When the run was created (database time). */
    public Instant getCreatedAt() {
        return createdAt;
    }

    /** When the run was last committed or corrected (database time). */
    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
