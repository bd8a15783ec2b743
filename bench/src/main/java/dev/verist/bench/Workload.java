package dev.verist.bench;

/** The workloads of shared/bench/README.md that go through the library (the floor's names). */
enum Workload {
    CREATE("create"),
    UPDATE("update"),
    UPDATE_COMMANDS("update-commands"),
    LOAD("load"),
    DRAIN("drain");

    final String label;

    Workload(String label) {
        this.label = label;
    }

    /** True for the workloads that commit on prefilled runs and so track each run's version. */
    boolean updates() {
        return this == UPDATE || this == UPDATE_COMMANDS;
    }

    static Workload byName(String name) {
        for (Workload w : values()) {
            if (w.label.equals(name)) {
                return w;
            }
        }
        throw new Options.UsageException("unknown workload " + name
                + " (create, update, update-commands, load, drain)");
    }
}
