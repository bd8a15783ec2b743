package dev.verist.storage.pg.entity;

import dev.verist.storage.internal.JsonValues;
import io.hypersistence.utils.hibernate.type.json.JsonType;

/**
 * The entities' {@code jsonb} columns: hypersistence-utils' {@link JsonType} on the store's own Jackson settings,
 * so an entity reads whatever the store writes. With Jackson's default nesting limit an event whose trace input
 * sits at the store's limit (one level deeper in the stored {@code llm_trace}) could not be read.
 */
public class StoredJsonType extends JsonType {

    private static final long serialVersionUID = 1L;

    /** For Hibernate, which creates one per mapped column. */
    public StoredJsonType() {
        super(JsonValues.entityMapper());
    }
}
