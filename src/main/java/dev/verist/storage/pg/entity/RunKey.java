package dev.verist.storage.pg.entity;

import java.io.Serializable;
import java.util.Objects;

/** The identity of a run: {@code (workflow_id, run_id)}, the primary key of {@code verist_state}. */
public class RunKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private String workflowId;
    private String runId;

    /** For JPA. */
    protected RunKey() {
    }

    /** The key of one run. */
    public RunKey(String workflowId, String runId) {
        this.workflowId = workflowId;
        this.runId = runId;
    }

    /** The workflow id. */
    public String getWorkflowId() {
        return workflowId;
    }

    /** The run id. */
    public String getRunId() {
        return runId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunKey k && Objects.equals(workflowId, k.workflowId) && Objects.equals(runId, k.runId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workflowId, runId);
    }
}
