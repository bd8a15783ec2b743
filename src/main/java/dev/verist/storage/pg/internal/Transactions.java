package dev.verist.storage.pg.internal;

import jakarta.persistence.EntityManager;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/** How a store call gets its {@code EntityManager}, its connection and its transaction. */
interface Transactions {

    /**
     * Runs {@code work} in a transaction: its own, or the caller's when there is one to join. A runtime
     * exception from {@code work} rolls back, or marks the caller's transaction rollback-only.
     */
    <T> T run(Function<EntityManager, T> work);

    /** Runs {@code work} on the connection of a transaction, as {@link #run} does. */
    default <T> T runJdbc(ReturningWork<T> work) {
        return run(em -> em.unwrap(Session.class).doReturningWork(work));
    }

    /**
     * Runs {@code work}: one statement, atomic by itself, that writes nothing when {@code work} then fails.
     * It joins the caller's transaction when there is one; without one it may commit alone (autocommit), one
     * round trip where a transaction of its own would take two.
     */
    default <T> T runStatement(ReturningWork<T> work) {
        return runJdbc(work);
    }

    /** Releases resources this object owns. */
    void close();
}
