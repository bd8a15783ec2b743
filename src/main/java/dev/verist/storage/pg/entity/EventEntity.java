package dev.verist.storage.pg.entity;

import io.hypersistence.utils.hibernate.type.json.JsonType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.Type;

/** A row of the append-only {@code verist_events}: Hibernate never updates it, and the database refuses to. */
@Entity(name = "VeristEvent")
@Table(name = "verist_events")
@Immutable
public class EventEntity {

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

    @Column(name = "type", nullable = false)
    private String type;

    @Type(JsonType.class)
    @Column(name = "payload", columnDefinition = "jsonb")
    private Map<String, Object> payload;

    @Type(JsonType.class)
    @Column(name = "llm_trace", columnDefinition = "jsonb")
    private Map<String, Object> llmTrace;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** For JPA. */
    protected EventEntity() {
    }

    /** The event id; increases in commit order. */
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

    /** The step that committed the event. */
    public String getStepId() {
        return stepId;
    }

    /** What happened. */
    public String getType() {
        return type;
    }

    /** Event details, or null. */
    public Map<String, Object> getPayload() {
        return payload;
    }

    /** The LLM trace as stored JSON, or null. */
    public Map<String, Object> getLlmTrace() {
        return llmTrace;
    }

    /** The commit's database time. */
    public Instant getCreatedAt() {
        return createdAt;
    }
}
