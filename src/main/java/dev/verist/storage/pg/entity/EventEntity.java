package dev.verist.storage.pg.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.Type;

/** A row of the append-only {@code verist_events}: Hibernate never updates it, and the database refuses to. */
@Entity(name = "VeristEvent")
@Table(name = "verist_events")
@Immutable
public class EventEntity extends StepRowEntity {

    @Column(name = "type", nullable = false)
    private String type;

    @Type(StoredJsonType.class)
    @Column(name = "payload", columnDefinition = "jsonb")
    private Map<String, Object> payload;

    @Type(StoredJsonType.class)
    @Column(name = "llm_trace", columnDefinition = "jsonb")
    private Map<String, Object> llmTrace;

    /** For JPA. */
    protected EventEntity() {
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
}
