package dev.verist.storage;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's stored state: what its steps computed, what humans corrected (overlay), and its version,
 * which each commit increments and {@code setOverlay} leaves alone.
 *
 * <p>A state the store returns holds {@code computed} and {@code overlay} as read-only maps that are parsed from
 * the stored JSON when first looked into (once, safely from any thread), so a commit whose answer is not read
 * costs no parsing. A stored document the store cannot read (not an object, or nested beyond
 * 1,002 levels, written around the store) is a {@link StoredDataException}: from
 * the call, when the text is not an object, otherwise from that first look into the map.
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
