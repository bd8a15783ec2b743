package dev.verist.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.verist.it.wildfly.dispatch.Deliveries;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.PgSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The dispatcher in WildFly, watched from outside: the test commits through a Java SE store on the same database,
 * deploys and undeploys applications that turn the dispatcher on, and counts what their handlers wrote. The steps
 * build on each other: one deployment, two competing, then each undeployed in turn.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherIT {

    private static final String FIRST = "dispatcher-first";
    private static final String SECOND = "dispatcher-second";

    private static PGSimpleDataSource database;
    private static PgRunStore store;
    private static int runs;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = FIRST, managed = false, testable = false)
    static WebArchive first() {
        return Deployments.dispatcherWar(FIRST);
    }

    @Deployment(name = SECOND, managed = false, testable = false)
    static WebArchive second() {
        return Deployments.dispatcherWar(SECOND);
    }

    @BeforeAll
    static void freshSchema() throws SQLException {
        database = new PGSimpleDataSource();
        database.setUrl(env("VERIST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"));
        database.setUser(env("VERIST_JDBC_USER", "postgres"));
        database.setPassword(env("VERIST_JDBC_PASSWORD", "postgres"));
        database.setCurrentSchema(ItSchema.SCHEMA);
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + ItSchema.SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + ItSchema.SCHEMA);
            s.execute(PgSchema.ddl());
            s.execute(Deliveries.CREATE_TABLE);
        }
        store = PgRunStore.create(database);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    @Order(1)
    void deployedApplicationCarriesOutEachCommandOnceOnTheManagedExecutor() throws Exception {
        deployer.deploy(FIRST);
        List<Long> ids = commitInvokes(50);
        long failing = commitEmit("it-fails");

        awaitTrue("50 dispatched", () -> statusCount(ids, "dispatched") == 50);
        awaitTrue("the failing entry a dead letter", () -> statusCount(List.of(failing), "failed") == 1);

        assertThat(deliveriesPerEntry(ids)).hasSize(50).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(column("SELECT DISTINCT thread FROM " + Deliveries.TABLE))
                .allSatisfy(thread -> assertThat(thread).contains("ManagedScheduledExecutorService"));
        assertThat(number("SELECT failures FROM verist_outbox WHERE id = " + failing)).isEqualTo(3);
        assertThat(number("SELECT count(*) FROM " + Deliveries.TABLE + " WHERE outbox_id = " + failing))
                .as("each attempt's write rolled back").isZero();
    }

    @Test
    @Order(2)
    void twoDeploymentsOnOneDatabaseShareTheWorkAndCarryOutEachCommandOnce() throws Exception {
        deployer.deploy(SECOND);
        List<Long> ids = commitInvokes(300);

        awaitTrue("300 dispatched", () -> statusCount(ids, "dispatched") == 300);

        assertThat(deliveriesPerEntry(ids)).hasSize(300).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(column("SELECT DISTINCT lease_owner FROM " + Deliveries.TABLE + " WHERE outbox_id >= " + ids.get(0)))
                .as("both dispatchers took part").hasSize(2);
    }

    @Test
    @Order(3)
    void undeployedApplicationLeasesNothingMore() throws Exception {
        List<String> ownersBefore = column("SELECT DISTINCT lease_owner FROM " + Deliveries.TABLE);
        deployer.undeploy(SECOND);
        List<Long> ids = commitInvokes(50);

        awaitTrue("50 dispatched", () -> statusCount(ids, "dispatched") == 50);
        assertThat(column("SELECT DISTINCT lease_owner FROM " + Deliveries.TABLE + " WHERE outbox_id >= " + ids.get(0)))
                .as("only the deployed dispatcher").hasSize(1).isSubsetOf(ownersBefore);

        deployer.undeploy(FIRST);
        List<Long> left = commitInvokes(5);
        Thread.sleep(2000); // 20 polls of a running dispatcher

        assertThat(statusCount(left, "pending")).as("nothing runs after undeploy").isEqualTo(5);
        assertThat(number("SELECT count(*) FROM verist_outbox WHERE status = 'leased'")).isZero();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static List<Long> commitInvokes(int n) {
        String run = "run-" + (++runs);
        Commit.Builder commit = Commit.builder("it", run, "s");
        for (int i = 0; i < n; i++) {
            commit.command(Command.invoke("it-record", Map.of("i", i)));
        }
        store.commit(commit.build());
        // Read from the table: some may already be leased or carried out.
        return numbers("SELECT id FROM verist_outbox WHERE run_id = '" + run + "' ORDER BY id");
    }

    private static long commitEmit(String topic) throws SQLException {
        store.commit(Commit.builder("it", "emit-" + (++runs), "s").command(Command.emit(topic, Map.of())).build());
        return number("SELECT max(id) FROM verist_outbox");
    }

    private static long statusCount(List<Long> ids, String status) {
        try (Connection c = database.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM verist_outbox WHERE status = ? AND id = ANY(?)")) {
            ps.setString(1, status);
            ps.setArray(2, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Long, Integer> deliveriesPerEntry(List<Long> ids) throws SQLException {
        Map<Long, Integer> perEntry = new HashMap<>();
        try (Connection c = database.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT outbox_id, count(*) FROM " + Deliveries.TABLE
                     + " WHERE outbox_id = ANY(?) GROUP BY outbox_id")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    perEntry.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return perEntry;
    }

    private static List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<Long> numbers(String sql) {
        try {
            return column(sql).stream().map(Long::parseLong).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(String sql) throws SQLException {
        return Long.parseLong(column(sql).get(0));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + ": not within 60 s");
            }
            Thread.sleep(50);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
