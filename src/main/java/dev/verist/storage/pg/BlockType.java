package dev.verist.storage.pg;

import java.util.Locale;

/** The kind of gate a blocking command puts on a run. */
public enum BlockType {
    /** Waits for a human approve or reject; sibling commands are deferred meanwhile. */
    REVIEW,
    /** Waits for outside data; resuming enqueues an invoke of the resume step. */
    SUSPEND;

    /** The wire name: {@code review} or {@code suspend}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
