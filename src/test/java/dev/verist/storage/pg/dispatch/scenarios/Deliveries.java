package dev.verist.storage.pg.dispatch.scenarios;

import dev.verist.storage.pg.OutboxEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The handlers' own database work: a row per delivery in {@value #TABLE}, on the application's JTA datasource. */
public final class Deliveries {

    /** One row per carried-out delivery. */
    public static final String TABLE = "it_delivery";
    /** Its DDL; the scenarios create it before deploying. */
    public static final String CREATE_TABLE = "CREATE TABLE " + TABLE + " (outbox_id BIGINT NOT NULL,"
            + " handler TEXT NOT NULL, lease_owner TEXT NOT NULL, thread TEXT NOT NULL)";

    private Deliveries() {
    }

    /** Inserts the delivery's row in the transaction the dispatcher runs the handler in. */
    static void record(DataSource dataSource, OutboxEntry entry, String handler) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                     + " (outbox_id, handler, lease_owner, thread) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, Long.parseLong(entry.id()));
            ps.setString(2, handler);
            ps.setString(3, entry.leaseOwner());
            ps.setString(4, Thread.currentThread().getName());
            ps.executeUpdate();
        }
    }
}
