package dev.verist.storage;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's stored state: what its steps computed, what humans corrected (overlay), and its version,
 * which each commit increments and {@code setOverlay} leaves alone.
 */
public record RunState(String workflowId, String runId, int version,
                       Map<String, Object> computed, Map<String, Object> overlay,
                       Instant createdAt, Instant updatedAt) {

    /**
     * The state the workflow acts on: {@code computed} with every top-level key of {@code overlay} on
     * top, including keys whose overlay value is null. Derived on each call, never stored.
     */
    public Map<String, Object> effective() {
        if (overlay.isEmpty()) {
            return Collections.unmodifiableMap(computed);
        }
        Map<String, Object> effective = new LinkedHashMap<>(computed);
        effective.putAll(overlay);
        return Collections.unmodifiableMap(effective);
    }
}
