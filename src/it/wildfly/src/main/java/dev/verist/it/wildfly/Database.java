package dev.verist.it.wildfly;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * What the database holds, read with plain JDBC outside any transaction (auto-commit connections): only
 * committed rows are visible here.
 */
@ApplicationScoped
public class Database {

    @Resource(lookup = ItSchema.DATASOURCE)
    DataSource dataSource;

    public String currentSchema() {
        return string("SELECT current_schema()");
    }

    public boolean tableExists(String qualifiedName) {
        return string("SELECT to_regclass('" + qualifiedName + "')::text") != null;
    }

    public boolean invoiceExists(String number) {
        return !strings("SELECT number FROM verist_it_invoice WHERE number = ?", number).isEmpty();
    }

    public OptionalInt runVersion(String workflowId, String runId) {
        List<String> versions = strings("SELECT version::text FROM verist_state WHERE workflow_id = ? AND run_id = ?",
                workflowId, runId);
        return versions.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(versions.get(0)));
    }

    public List<String> eventTypes(String workflowId, String runId) {
        return strings("SELECT type FROM verist_events WHERE workflow_id = ? AND run_id = ? ORDER BY id",
                workflowId, runId);
    }

    public List<String> outboxStatuses(String workflowId, String runId) {
        return strings("SELECT status FROM verist_outbox WHERE workflow_id = ? AND run_id = ? ORDER BY id",
                workflowId, runId);
    }

    private String string(String sql) {
        List<String> values = strings(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    private List<String> strings(String sql, String... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
