package dev.verist.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage contract of a Verist workflow run: its state, its audit trail and the commands its steps
 * return. Every method is atomic: it either does all it says or throws a {@link StorageException} and
 * leaves nothing of itself behind.
 */
public interface RunStore {

    /**
     * Reads a run's state.
     *
     * @return the state, or empty when the run was never created
     * @throws InvalidRequestException when an id is null, blank or too long
     */
    Optional<RunState> load(String workflowId, String runId);

    /**
     * Writes a step's result in one transaction: the state (created at {@code expectedVersion 0}, else
     * shallow-merged into {@code computed} when the version matches), its events, at most one blocking
     * command as the run's block, and the other commands as outbox rows.
     *
     * <p>A commit with a {@link Commit#commitId()} that has already landed on the run writes nothing and
     * returns the run's current state with the {@code version} that landing produced (a later commit's output
     * may be in {@code computed} by then). So a caller whose call failed with a retryable
     * {@code CONNECTION_ERROR} (the database may have committed before the connection broke) repeats the same
     * commit and gets its result, never a second write nor a conflict with itself.
     *
     * @return the run's state after the commit, with its new version
     * @throws ConflictException {@code RUN_EXISTS}, {@code VERSION_MISMATCH}, {@code ACTIVE_BLOCK} or
     *     {@code COMMAND_EXISTS}; nothing is written
     * @throws NotFoundException when {@code expectedVersion > 0} and the run does not exist
     * @throws InvalidRequestException when the commit breaks the contract, checked before any write, or when
     *     its {@code commitId} already landed on the run with another {@code stepId} or {@code expectedVersion}
     */
    RunState commit(Commit commit);

    /**
     * Sets human corrections on a run: each top-level key of {@code overlay} replaces the stored overlay's
     * (last write wins, no version check, no version bump). A key set to null overrides computed with null.
     *
     * @return the run's state after the change
     * @throws NotFoundException when the run does not exist
     */
    RunState setOverlay(String workflowId, String runId, Map<String, ?> overlay);

    /**
     * The run's audit trail in commit order (event id ascending); empty for a run without events or that
     * does not exist. It is read in one query and held in memory whole: for a run with many events, read it in
     * pages with {@link #events(String, String, String, int)}.
     */
    List<StoredEvent> events(String workflowId, String runId);

    /**
     * A page of the run's audit trail: up to {@code limit} events with an id above {@code afterId} (null for the
     * first page), in commit order. The last event's id is the next page's {@code afterId}; a page shorter than
     * {@code limit} was the end of the trail when it was read. A run's events get ids in the order its commits
     * land, so paging while commits land skips none.
     *
     * @param afterId an id as {@link StoredEvent#id()} gives it (of this run or not; it need not exist), or null
     * @throws InvalidRequestException when an id is blank, {@code afterId} is not an event id, or {@code limit}
     *     is below 1
     */
    List<StoredEvent> events(String workflowId, String runId, String afterId, int limit);
}
