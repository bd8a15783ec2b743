package dev.verist.bench;

/** The workloads of shared/bench/README.md that go through the library (the floor's names). */
enum Workload {
    CREATE("create"),
    UPDATE("update"),
    UPDATE_COMMANDS("update-commands"),
    LOAD("load"),
    /** Lease 50, then finalise them with one {@code markDispatched} of the batch. */
    DRAIN("drain"),
    /** Lease 50, then one {@code markDispatched} per entry: the call shape shared/bench/README.md names. */
    DRAIN_EACH("drain-each"),
    /**
     * Lease 50; one in ten entries on its first attempt fails ({@code markFailed} with a retry due at once) and is
     * leased again later; the others are finalised with one fenced {@code markDispatched} of the batch.
     */
    DRAIN_RETRY("drain-retry"),
    /**
     * The in-container dispatcher (Weld SE, Narayana, an enlisting pool) carrying out the prefilled outbox with a
     * no-op handler: one JTA transaction per entry; clients = its workers.
     */
    DISPATCH("dispatch"),
    /** As {@code dispatch}, with {@code DispatcherSettings.transactionPerBatch}: one transaction per batch of 50. */
    DISPATCH_BATCH("dispatch-batch"),
    /**
     * Commit-to-handler latency of the dispatcher at a light load: one commit at a time, through the store bean
     * (its wake-up) and through a plain store (the poll alone).
     */
    DISPATCH_LATENCY("dispatch-latency");

    final String label;

    Workload(String label) {
        this.label = label;
    }

    /** True for the workloads that commit on prefilled runs and so track each run's version. */
    boolean updates() {
        return this == UPDATE || this == UPDATE_COMMANDS;
    }

    /** True for the workloads that lease and finalise outbox entries (counted in entries/s). */
    boolean drains() {
        return this == DRAIN || this == DRAIN_EACH || this == DRAIN_RETRY || this == DISPATCH
                || this == DISPATCH_BATCH;
    }

    /** True for the in-container dispatcher's workloads, which run in a Weld container of their own. */
    boolean inContainer() {
        return this == DISPATCH || this == DISPATCH_BATCH || this == DISPATCH_LATENCY;
    }

    static Workload byName(String name) {
        for (Workload w : values()) {
            if (w.label.equals(name)) {
                return w;
            }
        }
        throw new Options.UsageException("unknown workload " + name
                + " (create, update, update-commands, load, drain, drain-each, drain-retry, dispatch, dispatch-batch, dispatch-latency)");
    }
}
