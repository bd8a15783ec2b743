package dev.verist.storage.pg;

import dev.verist.storage.RunState;

/**
 * A run that waits for a person: its active block and its state, read together. What an inbox shows.
 *
 * @param block the run's active block
 * @param state the run's state as it was when the block was read
 */
public record WaitingRun(Block block, RunState state) {
}
