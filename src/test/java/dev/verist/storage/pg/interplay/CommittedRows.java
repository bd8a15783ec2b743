package dev.verist.storage.pg.interplay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the database holds, read with plain JDBC on connections outside any transaction (auto-commit): only
 * committed rows are visible here, so a test sees what a later transaction would, not what the store says.
 * Unqualified names resolve in the connections' current schema, the one the environment works in.
 */
public final class CommittedRows {

    /** Where the connections come from: a data source, or a plain driver connection. */
    @FunctionalInterface
    public interface Connections {
        /** A new connection outside any transaction; the caller closes it. */
        Connection open() throws SQLException;
    }

    private final Connections connections;

    /** Reads through {@code connections}, which must not enlist in a caller's transaction. */
    public CommittedRows(Connections connections) {
        this.connections = connections;
    }

    /** Empties the four verist tables and the invoice table, and restarts the id sequences. */
    public void clear() {
        update("TRUNCATE verist_state, verist_events, verist_outbox, verist_blocks, " + Invoice.TABLE
                + " RESTART IDENTITY");
    }

    /** Who and where the connections are: {@code user@database/schema}, e.g. {@code postgres@postgres/verist_it_payara}. */
    public String userDatabaseAndSchema() {
        return strings("SELECT current_user || '@' || current_database() || '/' || current_schema()").get(0);
    }

    /** The connections' current schema. */
    public String currentSchema() {
        return strings("SELECT current_schema()").get(0);
    }

    /** Whether {@code schema.table} exists. */
    public boolean tableExists(String schema, String table) {
        return !strings("SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                schema, table).isEmpty();
    }

    /** Whether the invoice {@code number} was committed. */
    public boolean invoiceExists(String number) {
        return !strings("SELECT number FROM " + Invoice.TABLE + " WHERE number = ?", number).isEmpty();
    }

    /** How many invoices were committed. */
    public long invoiceCount() {
        return Long.parseLong(strings("SELECT count(*)::text FROM " + Invoice.TABLE).get(0));
    }

    /** Row counts of the four verist tables, as {@code state=…, events=…, outbox=…, blocks=…}. */
    public String counts() {
        return strings("""
                SELECT 'state=' || (SELECT count(*) FROM verist_state)
                    || ', events=' || (SELECT count(*) FROM verist_events)
                    || ', outbox=' || (SELECT count(*) FROM verist_outbox)
                    || ', blocks=' || (SELECT count(*) FROM verist_blocks)""").get(0);
    }

    /** The committed version of a run; empty when the run does not exist. */
    public OptionalInt runVersion(String workflowId, String runId) {
        List<String> versions = strings("SELECT version::text FROM verist_state WHERE workflow_id = ? AND run_id = ?",
                workflowId, runId);
        return versions.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(versions.get(0)));
    }

    /** The types of a run's events, oldest first. */
    public List<String> eventTypes(String workflowId, String runId) {
        return strings("SELECT type FROM verist_events WHERE workflow_id = ? AND run_id = ? ORDER BY id",
                workflowId, runId);
    }

    /** The statuses of a run's outbox entries, oldest first. */
    public List<String> outboxStatuses(String workflowId, String runId) {
        return strings("SELECT status FROM verist_outbox WHERE workflow_id = ? AND run_id = ? ORDER BY id",
                workflowId, runId);
    }

    /** The statuses of every outbox entry, oldest first. */
    public List<String> outboxStatuses() {
        return strings("SELECT status FROM verist_outbox ORDER BY id");
    }

    /** The status of the outbox entry {@code outboxId}; null when there is no such entry. */
    public String outboxStatus(String outboxId) {
        List<String> statuses = strings("SELECT status FROM verist_outbox WHERE id = ?::bigint", outboxId);
        return statuses.isEmpty() ? null : statuses.get(0);
    }

    private List<String> strings(String sql, String... binds) {
        try (Connection connection = connections.open();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                statement.setString(i + 1, binds[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql) {
        try (Connection connection = connections.open();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
