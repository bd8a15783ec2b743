package dev.verist.storage.pg;

/**
 * The outcome of {@link PgRunStore#resolveBlock}: the block resolved and the resolution as stored
 * (a {@link Resolution.Resume} holds its data as the JSON tree written).
 */
public record ResolvedBlock(String id, BlockType type, Resolution resolution) {
}
