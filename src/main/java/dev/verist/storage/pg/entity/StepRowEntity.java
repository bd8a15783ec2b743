package dev.verist.storage.pg.entity;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** The columns every row a step writes carries: a sequence id, the run, the step and the commit's time. */
@MappedSuperclass
public abstract class StepRowEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "workflow_id", nullable = false)
    private String workflowId;

    @Column(name = "run_id", nullable = false)
    private String runId;

    @Column(name = "step_id", nullable = false)
    private String stepId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** For JPA. */
    protected StepRowEntity() {
    }

    /** The row id, from the table's sequence; increases in commit order. */
    public Long getId() {
        return id;
    }

    /** The workflow id. */
    public String getWorkflowId() {
        return workflowId;
    }

    /** The run id. */
    public String getRunId() {
        return runId;
    }

    /** The step that wrote the row ({@code resume:<blockId>} for a resume command). */
    public String getStepId() {
        return stepId;
    }

    /** The database time of the call that wrote the row. */
    public Instant getCreatedAt() {
        return createdAt;
    }
}
