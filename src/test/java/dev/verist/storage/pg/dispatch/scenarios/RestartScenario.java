package dev.verist.storage.pg.dispatch.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server killed in the middle of a batch and started again: the handlers' work of the deliveries it was running
 * rolled back with them, the leases it held expire, and every command is carried out exactly once in the end.
 * A server's suite says how to start, kill and restart it; the application ({@link SlowHandler},
 * {@link RestartSettings}) is deployed with the server and comes back with it.
 */
public abstract class RestartScenario extends ScenarioDatabase {

    /** The application deployed for this scenario. */
    protected static final String RESTARTED = "dispatcher-restarted";

    /** Starts the server with {@link #RESTARTED} deployed; returns once it runs. */
    protected abstract void startWithApplication();

    /** Kills the server's process at once: no shutdown, no transaction ends. */
    protected abstract void kill();

    /** Starts the server again after {@link #kill()}, the application with it; returns once it runs. */
    protected abstract void restart();

    /** Stops the server and removes the application. */
    protected abstract void stopAndUndeploy();

    @Test
    final void aServerKilledInTheMiddleOfABatchCarriesOutEveryCommandExactlyOnceAfterItsRestart() throws Exception {
        startWithApplication();
        try {
            Commit.Builder commit = Commit.builder("it", "restart", "s");
            for (int i = 0; i < 60; i++) {
                commit.command(Command.invoke("it-slow", Map.of("i", i)));
            }
            store().commit(commit.build());
            List<Long> ids = numbers("SELECT id FROM verist_outbox WHERE run_id = 'restart' ORDER BY id");
            // In the middle of a batch: ten done and some in hand (two workers may finish their batches together).
            awaitTrue("ten carried out and a batch in hand",
                    () -> statusCount(ids, "dispatched") >= 10 && statusCount(ids, "leased") > 0);

            kill();
            long doneBeforeKill = statusCount(ids, "dispatched");
            assertThat(doneBeforeKill).as("killed in the middle").isLessThan(60);
            assertThat(number("SELECT count(*) FROM verist_outbox WHERE status = 'leased'"))
                    .as("leases the killed server held").isPositive();

            restart();

            awaitTrue("all 60 carried out", () -> statusCount(ids, "dispatched") == 60);
            assertThat(deliveriesPerEntry(ids)).as("exactly once each, counted in the handler's own rows")
                    .hasSize(60).allSatisfy((id, n) -> assertThat(n).isOne());
            assertThat(column("SELECT DISTINCT d.lease_owner FROM " + Deliveries.TABLE + " d JOIN verist_outbox o"
                    + " ON o.id = d.outbox_id WHERE o.run_id = 'restart'")).as("the server before and after its restart")
                    .hasSize(2);
        } finally {
            stopAndUndeploy();
        }
    }
}
