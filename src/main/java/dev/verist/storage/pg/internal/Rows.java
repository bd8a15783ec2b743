package dev.verist.storage.pg.internal;

import dev.verist.storage.LlmTrace;
import dev.verist.storage.RunState;
import dev.verist.storage.StoredDataException;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.internal.CommandJson;
import dev.verist.storage.internal.JsonValues;
import dev.verist.storage.internal.StoredJsonObject;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStats;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.RecordedBlock;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.WaitingRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns rows into the API's records. */
final class Rows {

    // Where the state's columns start in a row of BlockSql.WAITING_RUNS: after the block's.
    private static final int STATE_AFTER_BLOCK = BlockSql.COLUMNS.split(", ").length + 1;

    private Rows() {
    }

    /** A column list with each column qualified by the table alias given ({@code "b."}): for joins. */
    static String qualified(String alias, String columns) {
        return alias + columns.replace(", ", ", " + alias);
    }

    /** A state row in {@link StateSql#COLUMNS} order. */
    static RunState state(ResultSet rs) throws SQLException {
        return state(rs, 1);
    }

    // The state's columns from column `first` on.
    private static RunState state(ResultSet rs, int first) throws SQLException {
        return new RunState(rs.getString(first), rs.getString(first + 1), rs.getInt(first + 2),
                StoredJsonObject.of(rs.getString(first + 3)), StoredJsonObject.of(rs.getString(first + 4)),
                instant(rs, first + 5), instant(rs, first + 6));
    }

    /** A row of {@link BlockSql#WAITING_RUNS}: the block's columns, then the state's. */
    static WaitingRun waitingRun(ResultSet rs) throws SQLException {
        return new WaitingRun(block(rs), state(rs, STATE_AFTER_BLOCK));
    }

    /** A block row in {@link BlockSql#COLUMNS} order. */
    static Block block(ResultSet rs) throws SQLException {
        return new Block(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                blockType(rs.getString(5)), rs.getString(6), JsonValues.read(rs.getString(7)), rs.getString(8),
                instant(rs, 9));
    }

    /** A block row in {@link BlockSql#COLUMNS} order, then its resolution and resolution time. */
    static RecordedBlock recordedBlock(ResultSet rs) throws SQLException {
        Block block = block(rs);
        return new RecordedBlock(block, resolution(block, JsonValues.read(rs.getString(10))), instant(rs, 11));
    }

    // As resolveBlock stores it, {approved} or {resumeData}; the TypeScript adapter writes the same.
    private static Resolution resolution(Block block, Object json) {
        if (json == null) {
            return null;
        }
        if (json instanceof Map<?, ?> map && map.get("approved") instanceof Boolean approved) {
            return approved ? Resolution.approve() : Resolution.reject();
        }
        if (json instanceof Map<?, ?> map && map.containsKey("resumeData")) {
            return Resolution.resume(map.get("resumeData"));
        }
        throw new StoredDataException("Block " + block.id() + " has a resolution that is neither {approved} nor"
                + " {resumeData}: " + JsonValues.write(json), null);
    }

    /**
     * An outbox row in {@link OutboxSql#COLUMNS} order. The lease's owner, token and expiry are read only for a
     * leased row: a worker that does not clear them (the TypeScript adapter) may leave them on a finished one.
     */
    static OutboxEntry outboxEntry(ResultSet rs) throws SQLException {
        OutboxStatus status = outboxStatus(rs.getString(7));
        boolean leased = status == OutboxStatus.LEASED;
        return new OutboxEntry(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                CommandJson.fromTree(JsonValues.readObject(rs.getString(5))), rs.getString(6),
                status, rs.getString(8), instant(rs, 9), rs.getInt(10),
                leased ? rs.getString(11) : null, leased ? rs.getLong(12) : 0, leased ? instant(rs, 13) : null,
                instant(rs, 14));
    }

    /** The one row of {@link OutboxSql#STATS}. */
    static OutboxStats outboxStats(ResultSet rs) throws SQLException {
        Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
        for (OutboxStatus status : OutboxStatus.values()) {
            counts.put(status, rs.getLong(status.ordinal() + 1));
        }
        long oldestMicros = rs.getLong("oldest_due_micros");
        Optional<Duration> oldest = rs.wasNull() ? Optional.empty()
                : Optional.of(Duration.of(Math.max(0, oldestMicros), ChronoUnit.MICROS));
        return new OutboxStats(Collections.unmodifiableMap(counts), oldest, rs.getLong("expired_leases"),
                rs.getLong("waiting_retries"));
    }

    /** An event row in {@link EventSql#COLUMNS} order. */
    static StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), readOnly(JsonValues.readObject(rs.getString(6))),
                llmTrace(JsonValues.readObject(rs.getString(7))), instant(rs, 8));
    }

    /** A wire block type; anything else was written by a tool this version does not know. */
    static BlockType blockType(String wire) {
        return switch (wire) {
            case "review" -> BlockType.REVIEW;
            case "suspend" -> BlockType.SUSPEND;
            default -> throw new StoredDataException("Unknown block type: " + wire, null);
        };
    }

    /** A wire outbox status; anything else was written by a tool this version does not know. */
    static OutboxStatus outboxStatus(String wire) {
        try {
            return OutboxStatus.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StoredDataException("Unknown outbox status: " + wire, e);
        }
    }

    private static LlmTrace llmTrace(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        try {
            return new LlmTrace((String) json.get("model"), intOf(json.get("promptTokens")),
                    intOf(json.get("completionTokens")), ((Number) json.get("durationMs")).doubleValue(),
                    (String) json.get("inputHash"), (String) json.get("outputHash"), json.get("input"), json.get("output"));
        } catch (ClassCastException | NullPointerException e) {
            throw new StoredDataException("Stored llmTrace is malformed: " + json, e);
        }
    }

    private static int intOf(Object number) {
        return ((Number) number).intValue();
    }

    private static Map<String, Object> readOnly(Map<String, Object> map) {
        return map == null ? null : Collections.unmodifiableMap(map);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
