package dev.verist.storage.pg.dispatch.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.PgSchema;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dispatcher in a server, watched from outside: the test commits through a Java SE store on the database the
 * server uses, deploys and undeploys applications that turn the dispatcher on (with the handlers of this package),
 * and counts what their handlers wrote. The steps build on each other: one deployment, a second one beside it
 * (on the same server, or on a second one), each undeployed in turn. A server's suite says how to reach the database and
 * how to deploy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class DispatchScenarios extends ScenarioDatabase {

    /** The first application with the dispatcher. */
    protected static final String FIRST = "dispatcher-first";
    /** The second, deployed beside the first. */
    protected static final String SECOND = "dispatcher-second";
    /** One with {@link ListeningSettings}: a ten-minute poll, so that only notifications wake it. */
    protected static final String LISTENING = "dispatcher-listening";

    private int runs;

    /** Deploys the application {@code name} ({@link #FIRST} or {@link #SECOND}) and returns once it runs. */
    protected abstract void deploy(String name);

    /** Undeploys it. */
    protected abstract void undeploy(String name);

    /** What the names of the server's managed executor threads contain. */
    protected abstract String managedThreadName();

    @Test
    @Order(1)
    final void deployedApplicationCarriesOutEachCommandOnceOnTheManagedExecutor() throws Exception {
        deploy(FIRST);
        List<Long> ids = commitInvokes(50);
        long failing = commitEmit("it-fails");

        awaitTrue("50 dispatched", () -> statusCount(ids, "dispatched") == 50);
        awaitTrue("the failing entry a dead letter", () -> statusCount(List.of(failing), "failed") == 1);

        assertThat(deliveriesPerEntry(ids)).hasSize(50).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(column("SELECT DISTINCT thread FROM " + Deliveries.TABLE))
                .allSatisfy(thread -> assertThat(thread).contains(managedThreadName()));
        assertThat(number("SELECT failures FROM verist_outbox WHERE id = ?", failing)).isEqualTo(3);
        assertThat(number("SELECT count(*) FROM " + Deliveries.TABLE + " WHERE outbox_id = ?", failing))
                .as("each attempt's write rolled back").isZero();
    }

    @Test
    @Order(2)
    final void aHandlersWorkRollsBackWhenItsLeaseWasTakenOverMeanwhile() throws Exception {
        store().commit(Commit.builder("it", "lease-lost", "s").command(Command.invoke("it-lease-lost", Map.of())).build());
        long id = number("SELECT id FROM verist_outbox WHERE run_id = 'lease-lost'");
        awaitTrue("leased", () -> statusCount(List.of(id), "leased") == 1);

        // What another dispatcher's lease does once this one has expired: a new owner and token.
        number("WITH taken AS (UPDATE verist_outbox SET lease_owner = 'thief',"
                + " lease_token = nextval('verist_outbox_lease_token_seq'), lease_expires_at = now() + interval '1 hour'"
                + " WHERE id = ? RETURNING 1) SELECT count(*) FROM taken", id);
        Thread.sleep(LeaseLosingHandler.WORK_MILLIS + 2000); // the handler's work, its failed finalisation, rollback

        assertThat(number("SELECT count(*) FROM " + Deliveries.TABLE + " WHERE outbox_id = ?", id))
                .as("the handler's row rolled back").isZero();
        assertThat(column("SELECT status || ' ' || lease_owner FROM verist_outbox WHERE id = ?", id))
                .containsExactly("leased thief");
        number("WITH done AS (DELETE FROM verist_outbox WHERE id = ? RETURNING 1) SELECT count(*) FROM done", id);
    }

    @Test
    @Order(3)
    final void twoDeploymentsOnOneDatabaseShareTheWorkAndAnUndeployedOneLeasesNothingMore() throws Exception {
        deploy(SECOND);
        List<Long> shared = commitInvokes(300);

        awaitTrue("300 dispatched", () -> statusCount(shared, "dispatched") == 300);
        assertThat(deliveriesPerEntry(shared)).hasSize(300).allSatisfy((id, n) -> assertThat(n).isOne());
        List<String> owners = column("SELECT DISTINCT lease_owner FROM " + Deliveries.TABLE + " WHERE outbox_id >= ?",
                shared.get(0));
        assertThat(owners).as("both dispatchers took part").hasSize(2);

        undeploy(SECOND);
        List<Long> ids = commitInvokes(50);

        awaitTrue("50 dispatched", () -> statusCount(ids, "dispatched") == 50);
        assertThat(deliveriesPerEntry(ids)).hasSize(50).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(column("SELECT DISTINCT lease_owner FROM " + Deliveries.TABLE + " WHERE outbox_id >= ?", ids.get(0)))
                .as("only the deployed dispatcher").hasSize(1).isSubsetOf(owners);
    }

    @Test
    @Order(4)
    final void afterUndeployNothingRunsAndNothingStaysLeased() throws Exception {
        undeploy(FIRST);
        List<Long> left = commitInvokes(5);
        Thread.sleep(2000); // 20 polls of a running dispatcher

        assertThat(statusCount(left, "pending")).as("nothing runs after undeploy").isEqualTo(5);
        assertThat(number("SELECT count(*) FROM verist_outbox WHERE status = 'leased'")).isZero();
    }

    @Test
    @Order(5)
    final void commitsFromOutsideWakeADeploymentThatBarelyPollsAndItsListeningEndsWithIt() throws Exception {
        deploy(LISTENING);
        awaitTrue("listening", () -> listeningConnections() == 1);
        Thread.sleep(300); // past the looks for due entries that come with starting and with listening

        List<Long> ids = commitInvokes(10);

        awaitTrue("10 dispatched without a poll", () -> statusCount(ids, "dispatched") == 10);
        assertThat(deliveriesPerEntry(ids)).hasSize(10).allSatisfy((id, n) -> assertThat(n).isOne());
        undeploy(LISTENING);
        awaitTrue("no longer listening", () -> listeningConnections() == 0);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private List<Long> commitInvokes(int n) {
        String run = "run-" + (++runs);
        Commit.Builder commit = Commit.builder("it", run, "s");
        for (int i = 0; i < n; i++) {
            commit.command(Command.invoke("it-record", Map.of("i", i)));
        }
        store().commit(commit.build());
        // Read from the table: some may already be leased or carried out.
        return numbers("SELECT id FROM verist_outbox WHERE run_id = ? ORDER BY id", run);
    }

    private long commitEmit(String topic) throws SQLException {
        store().commit(Commit.builder("it", "emit-" + (++runs), "s").command(Command.emit(topic, Map.of())).build());
        return number("SELECT max(id) FROM verist_outbox");
    }

    private long listeningConnections() {
        try {
            return number("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query = 'LISTEN " + PgSchema.OUTBOX_CHANNEL + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
