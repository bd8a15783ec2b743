package dev.verist.storage;

import java.util.Locale;

/** Why a write conflicted; runners decide between retry and give-up from it. */
public enum ConflictReason {
    /** A create ({@code expectedVersion 0}) found the run already there. */
    RUN_EXISTS,
    /** An update's {@code expectedVersion} is not the run's current version. */
    VERSION_MISMATCH,
    /** A blocking command arrived while the run already has an unresolved block. */
    ACTIVE_BLOCK,
    /** An outbox row with the same dedupe key exists: the step's commands were already committed. */
    COMMAND_EXISTS,
    /** The outbox entry is not leased by the caller, so it cannot be finalised by it. */
    LEASE_MISMATCH;

    /** The lower-case name the TypeScript adapter uses, e.g. {@code version_mismatch}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
