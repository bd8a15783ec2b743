package dev.verist.storage.pg.internal;

import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.StorageException;
import dev.verist.storage.internal.CanonicalJson;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.ResolvedBlock;
import dev.verist.storage.pg.Resolution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a run's active block under a row lock: a review releases or rejects the step's deferred
 * commands, a suspend enqueues its resume command; then the block is marked resolved, all in one transaction.
 */
final class BlockResolver {

    private BlockResolver() {
    }

    /** Resolves the run's active block and, when {@code resolvedBy} is given, records who did as an audit event. */
    static Optional<ResolvedBlock> resolve(Connection c, String workflowId, String runId, Resolution resolution,
                                           String resolvedBy) throws SQLException {
        Block block = lockActive(c, workflowId, runId);
        if (block == null) {
            return Optional.empty();
        }
        long id = Long.parseLong(block.id());
        if (block.type() == BlockType.REVIEW) {
            if (!(resolution instanceof Resolution.Review review)) {
                throw misfit(block, "a resume");
            }
            resolveReview(c, block, id, review);
        } else {
            if (!(resolution instanceof Resolution.Resume resume)) {
                throw misfit(block, "a review decision");
            }
            resolveSuspend(c, block, id, resume);
        }
        if (resolvedBy != null) {
            recordResolution(c, block, resolution, resolvedBy);
        }
        return Optional.of(new ResolvedBlock(block.id(), block.type(), resolution));
    }

    private static void recordResolution(Connection c, Block block, Resolution resolution, String resolvedBy)
            throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>(8);
        payload.put("blockId", block.id());
        payload.put("blockType", block.type().wireName());
        payload.put("resolution", stored(resolution));
        payload.put("resolvedBy", resolvedBy);
        try (PreparedStatement ps = c.prepareStatement(BlockSql.RECORD_RESOLUTION)) {
            int i = 1;
            ps.setString(i++, block.workflowId());            // workflow_id
            ps.setString(i++, block.runId());                 // run_id
            ps.setString(i++, block.stepId());                // step_id: the step that blocked
            ps.setString(i++, PgRunStore.BLOCK_RESOLVED_EVENT); // type
            ps.setString(i, JsonValues.write(payload));       // payload
            ps.executeUpdate();
        }
    }

    private static Block lockActive(Connection c, String workflowId, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BlockSql.LOCK_ACTIVE)) {
            ps.setString(1, workflowId);
            ps.setString(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.block(rs) : null;
            }
        }
    }

    private static void resolveReview(Connection c, Block block, long id, Resolution.Review review)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BlockSql.RESOLVE_REVIEW)) {
            int i = 1;
            ps.setBoolean(i++, review.approved());   // approved → pending, else rejected
            ps.setString(i++, block.workflowId());   // workflow_id
            ps.setString(i++, block.runId());        // run_id
            ps.setString(i++, block.stepId());       // step_id of the reviewed step
            ps.setString(i++, JsonValues.write(stored(review))); // resolution
            ps.setLong(i, id);                       // block id
            requireResolved(ps.executeUpdate(), block);
        }
    }

    private static void resolveSuspend(Connection c, Block block, long id, Resolution.Resume resume)
            throws SQLException {
        String stepId = "resume:" + block.id();
        Map<String, Object> input = new LinkedHashMap<>(4);
        input.put("checkpoint", block.payload());
        input.put("resumeData", resume.resumeData());
        Map<String, Object> command = new LinkedHashMap<>(4);
        command.put("type", "invoke");
        command.put("step", block.resumeStep() != null ? block.resumeStep() : block.stepId());
        command.put("input", input);
        try (PreparedStatement ps = c.prepareStatement(BlockSql.RESOLVE_SUSPEND)) {
            int i = 1;
            ps.setString(i++, block.workflowId());   // workflow_id
            ps.setString(i++, block.runId());        // run_id
            ps.setString(i++, stepId);               // step_id
            ps.setString(i++, JsonValues.write(command)); // command
            ps.setString(i++, CanonicalJson.dedupeKey(block.workflowId(), block.runId(), stepId, command)); // dedupe_key
            ps.setString(i++, JsonValues.write(stored(resume))); // resolution
            ps.setLong(i, id);                       // block id
            requireResolved(ps.executeUpdate(), block);
        }
    }

    // A resolution as the block's resolution column holds it (and the TypeScript adapter writes it): {approved} or
    // {resumeData}, the data possibly null.
    private static Map<String, Object> stored(Resolution resolution) {
        return resolution instanceof Resolution.Review review
                ? Map.of("approved", review.approved())
                : Collections.singletonMap("resumeData", ((Resolution.Resume) resolution).resumeData());
    }

    // The block row is locked by this transaction, so its update cannot miss; if it did, nothing may commit.
    private static void requireResolved(int updated, Block block) {
        if (updated != 1) {
            throw new StorageException("Block " + block.id() + " of run " + block.workflowId() + "/" + block.runId()
                    + " was locked as active but " + updated + " rows were resolved; nothing was changed", null, false);
        }
    }

    private static InvalidRequestException misfit(Block block, String given) {
        return new InvalidRequestException("resolution", "is " + given + ", but the active block " + block.id()
                + " of run " + block.workflowId() + "/" + block.runId() + " is a " + block.type().wireName());
    }
}
