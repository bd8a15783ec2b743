package dev.verist.storage.pg.internal;

import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.internal.Checks;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.RecordedBlock;
import dev.verist.storage.pg.ResolvedBlock;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.RetryPolicy;
import dev.verist.storage.pg.WaitingRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link PgRunStore} as SQL on the connection {@link Transactions} gives it: a pool's, or a Hibernate session's
 * (no entity loading or dirty checking on the way). Each method checks its arguments, then
 * runs its work through {@link Transactions}: as one statement where the work is one statement that writes
 * nothing when it fails, in a transaction otherwise.
 */
final class SqlRunStore implements PgRunStore {

    private final Transactions transactions;
    private final NotifyThrottle notifications = new NotifyThrottle();

    SqlRunStore(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Optional<RunState> load(String workflowId, String runId) {
        checkRun(workflowId, runId);
        return callOnRun("load", workflowId, runId, () -> transactions.runStatement(
                c -> oneOfRun(c, StateSql.LOAD, workflowId, runId, Rows::state)));
    }

    @Override
    public RunState commit(Commit commit) {
        PreparedCommit prepared = PreparedCommit.of(commit);
        boolean notify = WakeUps.after(commit) && notifications.take();
        JdbcWork<RunState> write = c -> CommitWriter.write(c, prepared, notify);
        return callOnRun("commit", prepared.workflowId, prepared.runId, () -> prepared.writesAtomicallyAlone()
                ? transactions.runStatement(write)
                : transactions.run(write));
    }

    @Override
    public RunState setOverlay(String workflowId, String runId, Map<String, ?> overlay) {
        checkRun(workflowId, runId);
        String json = JsonValues.write(JsonValues.storableObject(Checks.present(overlay, "overlay"), "overlay"));
        return callOnRun("setOverlay", workflowId, runId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(StateSql.SET_OVERLAY)) {
                int i = 1;
                ps.setString(i++, json);       // overlay
                ps.setString(i++, workflowId); // workflow_id
                ps.setString(i, runId);        // run_id
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("State not found: " + workflowId + "/" + runId);
                    }
                    return Rows.state(rs);
                }
            }
        }));
    }

    @Override
    public List<StoredEvent> events(String workflowId, String runId) {
        checkRun(workflowId, runId);
        return callOnRun("events", workflowId, runId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(EventSql.BY_RUN)) {
                ps.setString(1, workflowId); // workflow_id
                ps.setString(2, runId);      // run_id
                return rows(ps, 16, Rows::event);
            }
        }));
    }

    @Override
    public List<StoredEvent> events(String workflowId, String runId, String afterId, int limit) {
        checkRun(workflowId, runId);
        // the first page: above every id a bigserial can hold
        long after = afterId == null ? Long.MIN_VALUE : Requests.eventId(afterId, "afterId");
        Requests.limit(limit);
        return callOnRun("events", workflowId, runId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(EventSql.PAGE)) {
                ps.setString(1, workflowId); // workflow_id
                ps.setString(2, runId);      // run_id
                ps.setLong(3, after);        // id above
                ps.setInt(4, limit);         // limit
                return rows(ps, limit, Rows::event);
            }
        }));
    }

    @Override
    public Optional<Block> getBlock(String workflowId, String runId) {
        checkRun(workflowId, runId);
        return callOnRun("getBlock", workflowId, runId, () -> transactions.runStatement(
                c -> oneOfRun(c, BlockSql.ACTIVE, workflowId, runId, Rows::block)));
    }

    @Override
    public Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution) {
        return resolve(workflowId, runId, resolution, null);
    }

    @Override
    public Optional<ResolvedBlock> resolveBlock(String workflowId, String runId, Resolution resolution,
                                                String resolvedBy) {
        Checks.id(resolvedBy, "resolvedBy");
        return resolve(workflowId, runId, resolution, resolvedBy);
    }

    private Optional<ResolvedBlock> resolve(String workflowId, String runId, Resolution resolution,
                                            String resolvedBy) {
        checkRun(workflowId, runId);
        Resolution normalised = Requests.resolution(resolution);
        return callOnRun("resolveBlock", workflowId, runId,
                () -> transactions.run(c -> {
                    Optional<ResolvedBlock> resolved = BlockResolver.resolve(c, workflowId, runId, normalised,
                            resolvedBy);
                    if (resolved.isPresent() && WakeUps.after(normalised)) {
                        notifyDue(c);
                    }
                    return resolved;
                }));
    }

    @Override
    public List<RecordedBlock> blocks(String workflowId, String runId) {
        checkRun(workflowId, runId);
        return callOnRun("blocks", workflowId, runId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(BlockSql.OF_RUN)) {
                ps.setString(1, workflowId); // workflow_id
                ps.setString(2, runId);      // run_id
                return rows(ps, 4, Rows::recordedBlock);
            }
        }));
    }

    @Override
    public List<Block> activeBlocks(String workflowId, BlockType type, String beforeId, int limit) {
        return acrossRuns("activeBlocks", BlockSql.ACTIVE_ACROSS_RUNS, Rows::block, workflowId, type, beforeId, limit);
    }

    @Override
    public List<WaitingRun> waitingRuns(String workflowId, BlockType type, String beforeId, int limit) {
        return acrossRuns("waitingRuns", BlockSql.WAITING_RUNS, Rows::waitingRun, workflowId, type, beforeId, limit);
    }

    // One page of the backward walk over active blocks that both inbox reads share, and their checks.
    private <T> List<T> acrossRuns(String call, String sql, RowReader<T> row, String workflowId, BlockType type,
                                   String beforeId, int limit) {
        if (workflowId != null) {
            Checks.id(workflowId, "workflowId");
        }
        Long before = beforeId == null ? null : Requests.blockId(beforeId, "beforeId");
        Requests.limit(limit);
        String typeName = type == null ? null : type.wireName();
        return call(call, "workflow", workflowId == null ? "(any)" : workflowId,
                () -> transactions.runStatement(c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, workflowId);          // workflow_id, or null for any
                        ps.setString(i++, workflowId);
                        ps.setString(i++, typeName);            // type, or null for any
                        ps.setString(i++, typeName);
                        ps.setObject(i++, before, Types.BIGINT); // blocks older than this one, or null
                        ps.setObject(i++, before, Types.BIGINT);
                        ps.setInt(i, limit);                    // limit
                        return rows(ps, limit, row);
                    }
                }));
    }

    @Override
    public List<OutboxEntry> outbox(String workflowId, String runId, String afterId, int limit) {
        checkRun(workflowId, runId);
        long after = afterId == null ? 0 : Requests.outboxId(afterId, "afterId");
        Requests.limit(limit);
        return callOnRun("outbox", workflowId, runId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.LIST_OF_RUN)) {
                int i = 1;
                ps.setString(i++, workflowId); // workflow_id
                ps.setString(i++, runId);      // run_id
                ps.setLong(i++, after);        // entries after this id (0: from the first)
                ps.setInt(i, limit);           // limit
                return rows(ps, limit, Rows::outboxEntry);
            }
        }));
    }

    @Override
    public List<OutboxEntry> leaseOutbox(String leaseOwner, int limit) {
        return leaseOutbox(leaseOwner, limit, DEFAULT_LEASE);
    }

    @Override
    public List<OutboxEntry> leaseOutbox(String leaseOwner, int limit, Duration leaseDuration) {
        Checks.id(leaseOwner, "leaseOwner");
        Requests.limit(limit);
        long micros = Requests.leaseMicros(leaseDuration);
        return call("leaseOutbox", "owner", leaseOwner, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.LEASE)) {
                int i = 1;
                ps.setInt(i++, limit);         // pending rows due now
                ps.setInt(i++, limit);         // retries become due
                ps.setInt(i++, limit);         // expired leases
                ps.setInt(i++, limit);         // chosen
                ps.setString(i++, leaseOwner); // lease_owner
                ps.setLong(i, micros);         // lease duration
                return rows(ps, limit, Rows::outboxEntry);
            }
        }));
    }

    @Override
    public void markDispatched(String outboxId, String leaseOwner) {
        long id = Requests.outboxId(outboxId, "outboxId");
        Checks.id(leaseOwner, "leaseOwner");
        finalise(outboxId, leaseOwner, "markDispatched", OutboxSql.MARK_DISPATCHED, id, null, false);
    }

    @Override
    public void markDispatched(Collection<String> outboxIds, String leaseOwner) {
        Long[] ids = Requests.outboxIds(outboxIds);
        Checks.id(leaseOwner, "leaseOwner");
        if (ids.length == 0) {
            return;
        }
        call("markDispatched", "outbox entries", outboxIds.size(), () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.MARK_ALL_DISPATCHED)) {
                int i = 1;
                ps.setArray(i++, c.createArrayOf("int8", ids)); // id = ANY
                ps.setString(i++, leaseOwner);                  // lease_owner
                ps.setInt(i, ids.length);                       // all of them
                requireAllMarked(ps, ids.length, " outbox entries are leased by this owner (" + leaseOwner + ")");
                return null;
            }
        }));
    }

    @Override
    public void markFailed(String outboxId, String leaseOwner, String error) {
        long id = Requests.outboxId(outboxId, "outboxId");
        Checks.id(leaseOwner, "leaseOwner");
        Checks.storableText(error, "error");
        finalise(outboxId, leaseOwner, "markFailed", OutboxSql.MARK_FAILED, id, error, true);
    }

    private void finalise(String outboxId, String leaseOwner, String operation, String sql, long id,
                          String error, boolean bindsError) {
        call(operation, "outbox entry", outboxId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (bindsError) {
                    ps.setString(i++, error);  // last_error
                }
                ps.setLong(i++, id);           // id
                ps.setString(i, leaseOwner);   // lease_owner
                if (ps.executeUpdate() == 0) {
                    throw new ConflictException(ConflictReason.LEASE_MISMATCH,
                            "Outbox entry " + outboxId + " not finalizable by this owner (" + leaseOwner + ")");
                }
                return null;
            }
        }));
    }

    @Override
    public void markDispatched(OutboxEntry leased) {
        long id = Requests.leasedId(leased, "leased");
        requireLease(leased);
        call("markDispatched", "outbox entry", leased.id(), () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.MARK_LEASE_DISPATCHED)) {
                bindFence(ps, 1, id, leased);
                if (ps.executeUpdate() == 0) {
                    throw staleLease(leased);
                }
                return null;
            }
        }));
    }

    @Override
    public void markDispatched(Collection<OutboxEntry> leased) {
        Requests.Leases leases = Requests.leases(leased);
        Long[] ids = leases.ids();
        if (ids.length == 0) {
            return;
        }
        call("markDispatched", "outbox entries", ids.length, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.MARK_ALL_LEASES_DISPATCHED)) {
                int i = 1;
                ps.setArray(i++, c.createArrayOf("int8", ids));                 // lease.id
                ps.setArray(i++, c.createArrayOf("int8", leases.tokens()));     // lease.token
                ps.setArray(i++, c.createArrayOf("text", leases.expiries()));   // lease.expires
                ps.setInt(i, ids.length);                                       // all of them
                requireAllMarked(ps, ids.length, " leases are still current");
                return null;
            }
        }));
    }

    @Override
    public OutboxStatus markFailed(OutboxEntry leased, String error, RetryPolicy policy) {
        long id = Requests.leasedId(leased, "leased");
        Checks.storableText(error, "error");
        Requests.retryPolicy(policy);
        requireLease(leased);
        double waitMicros = Requests.retryWaitMicros(policy, leased.attempts() + 1);
        return call("markFailed", "outbox entry", leased.id(), () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.MARK_ATTEMPT_FAILED)) {
                int i = 1;
                ps.setString(i++, error);                 // last_error
                ps.setInt(i++, policy.maxAttempts());     // failed: status
                ps.setInt(i++, policy.maxAttempts());     // failed: next_attempt_at
                ps.setDouble(i++, waitMicros);            // next_attempt_at
                bindFence(ps, i, id, leased);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw staleLease(leased);
                    }
                    return Rows.outboxStatus(rs.getString(1));
                }
            }
        }));
    }

    @Override
    public void release(OutboxEntry leased, Duration delay) {
        long id = Requests.leasedId(leased, "leased");
        double delayMicros = Requests.delayMicros(delay, "delay");
        requireLease(leased);
        call("release", "outbox entry", leased.id(), () -> transactions.runStatement(c -> {
            boolean now = delayMicros == 0; // released for another dispatcher at once: wake it
            try (PreparedStatement ps = c.prepareStatement(now ? OutboxSql.RELEASE_NOW : OutboxSql.RELEASE)) {
                int i = 1;
                ps.setDouble(i++, delayMicros);            // next_attempt_at: whether
                ps.setDouble(i++, delayMicros);            // next_attempt_at
                bindFence(ps, i, id, leased);
                if ((now ? changed(ps) : ps.executeUpdate()) == 0) {
                    throw staleLease(leased);
                }
                return null;
            }
        }));
    }

    // A batch statement of OutboxSql.MARK_ALL reports how many entries were held and how many it marked.
    private static void requireAllMarked(PreparedStatement ps, int asked, String held) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong("marked") == 0) {
                throw new ConflictException(ConflictReason.LEASE_MISMATCH,
                        rs.getLong("owned") + " of " + asked + held + "; none was marked");
            }
        }
    }

    // The binds of OutboxSql's fence, from position `at`: id, lease_token, lease_expires_at.
    private static void bindFence(PreparedStatement ps, int at, long id, OutboxEntry leased) throws SQLException {
        ps.setLong(at, id);
        ps.setLong(at + 1, leased.leaseToken());
        ps.setObject(at + 2, utc(leased.leaseExpiresAt()));
    }

    // An entry a lease handed out has a token and an expiry; anything else cannot be the current lease, which is
    // known without asking the database.
    private static void requireLease(OutboxEntry entry) {
        if (entry.leaseToken() <= 0 || entry.leaseExpiresAt() == null) {
            throw staleLease(entry);
        }
    }

    // The rows an OutboxSql.notifying statement changed.
    private static int changed(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // Resolutions are rare: each that makes entries due notifies, unthrottled, in its transaction.
    private static void notifyDue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OutboxSql.NOTIFY)) {
            ps.executeQuery().close();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static ConflictException staleLease(OutboxEntry leased) {
        return new ConflictException(ConflictReason.LEASE_MISMATCH, "Outbox entry " + leased.id() + ": lease "
                + leased.leaseToken() + (leased.leaseOwner() == null ? "" : " of " + leased.leaseOwner())
                + " is not its current lease (it expired and was taken over, or was finalised)");
    }

    @Override
    public List<OutboxEntry> outbox(OutboxStatus status, String afterId, int limit) {
        Checks.present(status, "status");
        Long after = afterId == null ? null : Requests.outboxId(afterId, "afterId");
        Requests.limit(limit);
        return call("outbox", "status", status.wireName(), () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(after == null ? OutboxSql.LIST_FIRST_PAGE
                    : OutboxSql.LIST_NEXT_PAGE)) {
                int i = 1;
                if (after != null) {
                    ps.setLong(i++, after);                 // anchor id
                    ps.setString(i++, status.wireName());   // anchor status
                }
                ps.setString(i++, status.wireName());       // status
                ps.setInt(i++, limit);                      // limit
                if (after != null) {
                    ps.setString(i++, status.wireName());   // status, without an anchor
                    ps.setLong(i++, after);                 // id above afterId
                    ps.setInt(i, limit);                    // limit
                }
                return rows(ps, limit, Rows::outboxEntry);
            }
        }));
    }

    @Override
    public boolean requeue(String outboxId) {
        long id = Requests.outboxId(outboxId, "outboxId");
        return call("requeue", "outbox entry", outboxId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.REQUEUE)) {
                ps.setLong(1, id); // id
                return changed(ps) == 1;
            }
        }));
    }

    @Override
    public int requeueFailed(String workflowId) {
        if (workflowId != null) {
            Checks.id(workflowId, "workflowId");
        }
        return call("requeueFailed", "workflow", workflowId, () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(workflowId == null ? OutboxSql.REQUEUE_ALL_FAILED
                    : OutboxSql.REQUEUE_FAILED_OF_WORKFLOW)) {
                if (workflowId != null) {
                    ps.setString(1, workflowId); // workflow_id
                }
                return changed(ps);
            }
        }));
    }

    @Override
    public int purgeDispatched(Instant dispatchedBefore, int limit) {
        Checks.present(dispatchedBefore, "dispatchedBefore");
        Requests.limit(limit);
        return call("purgeDispatched", "entries dispatched before", dispatchedBefore, () ->
                transactions.runStatement(c -> {
                    try (PreparedStatement ps = c.prepareStatement(OutboxSql.PURGE_DISPATCHED)) {
                        ps.setObject(1, utc(dispatchedBefore)); // dispatched_at
                        ps.setInt(2, limit);                    // limit
                        return ps.executeUpdate();
                    }
                }));
    }

    @Override
    public OutboxStats outboxStats() {
        return call("outboxStats", "the", "outbox", () -> transactions.runStatement(c -> {
            try (PreparedStatement ps = c.prepareStatement(OutboxSql.STATS); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Rows.outboxStats(rs);
            }
        }));
    }

    /** Reads the current row of a result set. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    // The row, if any, of a query whose binds are a run: workflow_id, run_id.
    private static <T> Optional<T> oneOfRun(Connection c, String sql, String workflowId, String runId,
                                            RowReader<T> row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workflowId);
            ps.setString(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        }
    }

    // Every row of the query, read by row; expected (a page's limit) sizes the list, up to a bound.
    private static <T> List<T> rows(PreparedStatement ps, int expected, RowReader<T> row) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>(Math.min(expected, 256));
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        }
    }

    @Override
    public void close() {
        transactions.close();
    }

    // Messages name what the call was about; their text is built only when the call fails.
    private static <T> T callOnRun(String operation, String workflowId, String runId, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw StorageErrors.translate(e, operation + " of " + workflowId + "/" + runId);
        }
    }

    private static <T> T call(String operation, String what, Object which, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw StorageErrors.translate(e, operation + " of " + what + " " + which);
        }
    }

    private static void checkRun(String workflowId, String runId) {
        Checks.id(workflowId, "workflowId");
        Checks.id(runId, "runId");
    }
}
