package dev.verist.storage.pg.internal;

import dev.verist.storage.pg.internal.SchemaSql.SchemaObject;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Whether the database has the objects of the latest migration, in the schema the store works in: one catalog
 * query, on a connection as the store's calls get theirs.
 */
public final class SchemaCheck {

    // The binds of SchemaSql.MISSING, the same at every call.
    private static final String[] RELATIONS = each(SchemaObject::relation);
    private static final String[] COLUMNS = each(SchemaObject::column);
    private static final String[] RELKINDS = each(SchemaObject::relkind);

    private final Transactions transactions;

    private SchemaCheck(Transactions transactions) {
        this.transactions = transactions;
    }

    /** The check on connections of {@code dataSource}, which stays the caller's. */
    public static SchemaCheck overDataSource(DataSource dataSource) {
        return new SchemaCheck(new PooledTransactions(dataSource));
    }

    /** The check inside the caller's JTA transaction, on the unit {@code unit} supplies, as the store bean's calls. */
    public static SchemaCheck inJtaTransactions(Supplier<EntityManagerFactory> unit) {
        return new SchemaCheck(new JtaTransactions(unit));
    }

    /** The latest migration the check looks for, as Flyway names it ({@code V4}). */
    public static String latestMigration() {
        return SchemaSql.LATEST_MIGRATION;
    }

    /**
     * The objects of the latest migration the database lacks ({@code verist_outbox.lease_token},
     * {@code verist_outbox_lease_token_seq}, ...), in the migration's order; empty when it is up to date.
     *
     * @throws dev.verist.storage.StorageException when the database cannot be asked
     */
    public List<String> missingObjects() {
        try {
            return transactions.runStatement(SchemaCheck::missing);
        } catch (RuntimeException e) {
            throw StorageErrors.translate(e, "The schema check of the verist tables");
        }
    }

    private static List<String> missing(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SchemaSql.MISSING)) {
            int i = 1;
            ps.setArray(i++, textArray(c, RELATIONS)); // relation
            ps.setArray(i++, textArray(c, COLUMNS));   // attribute
            ps.setArray(i, textArray(c, RELKINDS));    // relkind
            List<String> missing = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(new SchemaObject(rs.getString(1), rs.getString(2), "").describe());
                }
            }
            return List.copyOf(missing);
        }
    }

    private static String[] each(Function<SchemaObject, String> part) {
        return SchemaSql.LATEST_OBJECTS.stream().map(part).toArray(String[]::new);
    }

    private static Array textArray(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }
}
