package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import java.util.function.Function;

/** How a store call gets its {@code EntityManager} and transaction. */
public interface Transactions {

    /**
     * Runs {@code work} in a transaction: its own, or the caller's when there is one to join. A runtime
     * exception from {@code work} rolls back, or marks the caller's transaction rollback-only.
     */
    <T> T run(Function<EntityManager, T> work);

    /** Releases resources this object owns. */
    void close();
}
