package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the {@link Wiring#PGBOUNCER} run of the contract rests on: PgBouncer really pools by transaction (two
 * client connections share one server connection), every server connection it opens for a tenant's role is in
 * that tenant's schema and in no other's, and dropping a tenant leaves no backend and no role behind.
 */
class PgBouncerTest {

    private final PgBouncer bouncer = PgBouncer.get();

    @Test
    void twoClientConnectionsShareOneServerConnectionBetweenTransactions() throws SQLException {
        PgBouncer.Tenant tenant = bouncer.createTenant("verist_bouncer");
        try (Connection first = connect(tenant); Connection second = connect(tenant)) {
            // Sequential statements need one server connection, which PgBouncer hands to whichever client asks:
            // in session mode each client would hold a backend of its own.
            int firstPid = backendPid(first);
            assertThat(backendPid(second)).isEqualTo(firstPid);
            assertThat(backendPid(first)).isEqualTo(firstPid);
        } finally {
            bouncer.dropTenant(tenant);
        }
        assertThat(bouncer.admin("SHOW CONFIG")).filteredOn(row -> "pool_mode".equals(row.get("key")))
                .extracting(row -> row.get("value")).containsExactly("transaction");
    }

    @Test
    void everyServerConnectionOfATenantIsInItsSchemaAndServesNoOtherTenant() throws SQLException {
        PgBouncer.Tenant one = bouncer.createTenant("verist_bouncer");
        PgBouncer.Tenant other = bouncer.createTenant("verist_bouncer");
        try {
            Set<Integer> pidsOfOne = openTransactionsAndCheckSchema(one, 6);
            Set<Integer> pidsOfOther = openTransactionsAndCheckSchema(other, 6);
            assertThat(pidsOfOne).doesNotContainAnyElementsOf(pidsOfOther);
        } finally {
            bouncer.dropTenant(one);
            bouncer.dropTenant(other);
        }
    }

    @Test
    void droppingATenantEndsItsServerConnectionsAndDropsItsRoleAndSchema() throws SQLException {
        PgBouncer.Tenant tenant = bouncer.createTenant("verist_bouncer");
        openTransactionsAndCheckSchema(tenant, 3); // leaves three idle server connections in PgBouncer's pool

        bouncer.dropTenant(tenant);

        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + tenant.role() + "'"))
                    .isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_roles WHERE rolname = '" + tenant.role() + "'")).isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_namespace WHERE nspname = '" + tenant.schema() + "'"))
                    .isZero();
        }
    }

    // Holds n transactions open at once, so PgBouncer needs n server connections; returns their backends.
    private Set<Integer> openTransactionsAndCheckSchema(PgBouncer.Tenant tenant, int n) throws SQLException {
        List<Connection> clients = new ArrayList<>();
        Set<Integer> pids = new HashSet<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = connect(tenant);
                clients.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT pg_backend_pid(), current_schema(), current_setting('search_path')")) {
                    rs.next();
                    pids.add(rs.getInt(1));
                    assertThat(Map.of("schema", rs.getString(2), "search_path", rs.getString(3)))
                            .isEqualTo(Map.of("schema", tenant.schema(), "search_path", tenant.schema()));
                }
            }
            assertThat(pids).hasSize(n);
            return pids;
        } finally {
            for (Connection c : clients) {
                c.rollback();
                c.close();
            }
        }
    }

    private Connection connect(PgBouncer.Tenant tenant) throws SQLException {
        HikariConfig config = bouncer.poolConfig(tenant, 1);
        Properties props = new Properties();
        props.setProperty("user", config.getUsername());
        props.setProperty("password", config.getPassword());
        return DriverManager.getConnection(config.getJdbcUrl(), props);
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
