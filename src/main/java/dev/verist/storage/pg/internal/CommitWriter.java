package dev.verist.storage.pg.internal;

import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes a prepared commit and turns what its statement reports into the contract's outcomes. */
final class CommitWriter {
    private CommitWriter() {
    }

    /** Writes {@code p}; with {@code notify}, the commit also wakes listening dispatchers. */
    static RunState write(Connection c, PreparedCommit p, boolean notify) throws SQLException {
        boolean once = p.commitId != null;
        String sql = p.creates() ? (once ? CommitSql.CREATE_ONCE : CommitSql.CREATE)
                : (once ? CommitSql.UPDATE_ONCE : CommitSql.UPDATE);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (once) {
                ps.setString(i++, p.workflowId);          // landed.workflow_id
                ps.setString(i++, p.runId);               // landed.run_id
                ps.setString(i++, p.commitId);            // landed.commit_id
            }
            if (p.creates()) {
                ps.setString(i++, p.workflowId);          // workflow_id
                ps.setString(i++, p.runId);               // run_id
                ps.setString(i++, p.output);              // computed
            } else {
                ps.setString(i++, p.output);              // computed || output
                ps.setString(i++, p.workflowId);          // workflow_id
                ps.setString(i++, p.runId);               // run_id
                ps.setInt(i++, p.expectedVersion);        // version
            }
            if (once) {
                ps.setString(i++, p.commitId);            // recorded.commit_id
                ps.setString(i++, p.stepId);              // recorded.step_id
                ps.setInt(i++, p.expectedVersion);        // recorded.expected_version
            }
            ps.setString(i++, p.stepId);                  // events.step_id
            ps.setArray(i++, c.createArrayOf("text", p.eventTypes));    // events.type
            ps.setArray(i++, c.createArrayOf("text", p.eventPayloads)); // events.payload
            ps.setArray(i++, c.createArrayOf("text", p.eventTraces));   // events.llm_trace
            ps.setString(i++, p.stepId);                  // block.step_id
            ps.setString(i++, p.blockType);               // block.type
            ps.setString(i++, p.blockReason);             // block.reason
            ps.setString(i++, p.blockPayload);            // block.payload
            ps.setString(i++, p.blockResumeStep);         // block.resume_step
            ps.setString(i++, p.stepId);                  // outbox.step_id
            ps.setString(i++, p.outboxStatus);            // outbox.status
            ps.setArray(i++, c.createArrayOf("text", p.commands));   // outbox.command
            ps.setArray(i++, c.createArrayOf("text", p.dedupeKeys)); // outbox.dedupe_key
            ps.setBoolean(i++, notify);                   // notify
            if (once) {
                ps.setString(i++, p.workflowId);          // the landed commit's state: workflow_id
                ps.setString(i, p.runId);                 // run_id
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    if (once) {
                        return landedMeanwhile(c, p);
                    }
                    throw stateNotWritten(c, p);
                }
                if (once && rs.getObject("landed_version") != null) {
                    return landed(rs, p);
                }
                RunState state = Rows.state(rs);
                if (p.blockType != null && rs.getLong("blocks_written") == 0) {
                    throw new ConflictException(ConflictReason.ACTIVE_BLOCK,
                            "Run " + p.run() + " already has an active block");
                }
                if (rs.getLong("commands_written") < p.commands.length) {
                    throw new ConflictException(ConflictReason.COMMAND_EXISTS, "A command of step " + p.stepId
                            + " of run " + p.run() + " with the same dedupe key already exists");
                }
                return state;
            }
        }
    }

    // The commit wrote nothing: its id may have landed meanwhile (a racing first try), else it is a conflict.
    private static RunState landedMeanwhile(Connection c, PreparedCommit p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CommitSql.LANDING)) {
            ps.setString(1, p.workflowId);
            ps.setString(2, p.runId);
            ps.setString(3, p.commitId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return landed(rs, p);
                }
            }
        }
        throw stateNotWritten(c, p);
    }

    // A row of the run's state with the landing's columns: the result the landed commit gave, by version.
    private static RunState landed(ResultSet rs, PreparedCommit p) throws SQLException {
        int version = rs.getInt("landed_version");
        String stepId = rs.getString("landed_step_id");
        int expectedVersion = rs.getInt("landed_expected_version");
        if (!stepId.equals(p.stepId) || expectedVersion != p.expectedVersion) {
            throw new InvalidRequestException("commitId", "'" + p.commitId + "' already landed on run " + p.run()
                    + " as the commit of step '" + stepId + "' at expectedVersion " + expectedVersion
                    + "; this commit is of step '" + p.stepId + "' at expectedVersion " + p.expectedVersion
                    + ": a commit id names one commit of a run");
        }
        if (rs.getString(1) == null) {
            throw new NotFoundException("Run not found: " + p.run() + " (commit '" + p.commitId
                    + "' had landed at version " + version + "; the run was deleted since)");
        }
        RunState current = Rows.state(rs);
        return new RunState(current.workflowId(), current.runId(), version, current.computed(), current.overlay(),
                current.createdAt(), current.updatedAt());
    }

    // Rare path: tell a stale version from a missing run by reading the current version.
    private static RuntimeException stateNotWritten(Connection c, PreparedCommit p) throws SQLException {
        if (p.creates()) {
            return new ConflictException(ConflictReason.RUN_EXISTS, "Run " + p.run() + " already exists");
        }
        try (PreparedStatement ps = c.prepareStatement(StateSql.CURRENT_VERSION)) {
            ps.setString(1, p.workflowId);
            ps.setString(2, p.runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new ConflictException(ConflictReason.VERSION_MISMATCH, "Version mismatch on run "
                            + p.run() + ": expected version " + p.expectedVersion + ", got " + rs.getInt(1));
                }
                return new NotFoundException("Run not found: " + p.run() + " (expectedVersion was "
                        + p.expectedVersion + ", not 0)");
            }
        }
    }
}
