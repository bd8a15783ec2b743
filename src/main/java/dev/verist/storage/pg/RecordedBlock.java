package dev.verist.storage.pg;

import java.time.Instant;

/**
 * A block of a run as stored: the gate, and once resolved, how and when.
 *
 * @param block      the gate as it was put up
 * @param resolution the resolution as stored (a {@link Resolution.Resume} holds its data as the JSON tree written);
 *                   null while the block is active
 * @param resolvedAt the database time of the resolution; null while the block is active
 */
public record RecordedBlock(Block block, Resolution resolution, Instant resolvedAt) {

    /** Whether the block still waits for its resolution. */
    public boolean active() {
        return resolvedAt == null;
    }
}
