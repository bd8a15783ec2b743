package dev.verist.storage.pg;

/** A store as one {@link Wiring} builds it, in a schema of its own; closing it releases everything it built. */
record WiredStore(String schema, PgRunStore store, Closer closer) implements AutoCloseable {

    /** Releases what the wiring built. */
    @FunctionalInterface
    interface Closer {
        void close() throws Exception;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
