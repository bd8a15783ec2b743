package dev.verist.storage.pg.internal;

import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
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
        try (PreparedStatement ps = c.prepareStatement(p.creates() ? CommitSql.CREATE : CommitSql.UPDATE)) {
            int i = 1;
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
            ps.setBoolean(i, notify);                     // notify
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw stateNotWritten(c, p);
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
