package dev.verist.storage.pg.health;

/** Where the in-container outbox dispatcher stands, as readiness reports it. */
public enum DispatcherState {

    /** Started and leasing. */
    RUNNING,
    /** The application turned it on (it produces {@code DispatcherSettings}) but it is not running: not started yet,
     * stopped, or it failed to start. Readiness is down. */
    STOPPED,
    /** The application does not produce {@code DispatcherSettings}: the dispatcher is off by design. */
    NOT_ENABLED
}
