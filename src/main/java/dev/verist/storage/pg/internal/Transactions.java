package dev.verist.storage.pg.internal;

/** How a store call gets its connection and its transaction. */
interface Transactions {

    /**
     * Runs {@code work} in a transaction: its own, or the caller's when there is one to join. A failure of
     * {@code work} rolls back, or marks the caller's transaction rollback-only; a driver's {@code SQLException}
     * leaves as a {@link SqlFailure}.
     */
    <T> T run(JdbcWork<T> work);

    /**
     * Runs {@code work}: one statement, atomic by itself, that writes nothing when {@code work} then fails.
     * It joins the caller's transaction when there is one; without one it may commit alone (autocommit), one
     * round trip where a transaction of its own would take two.
     */
    default <T> T runStatement(JdbcWork<T> work) {
        return run(work);
    }

    /** Releases resources this object owns. */
    void close();
}
