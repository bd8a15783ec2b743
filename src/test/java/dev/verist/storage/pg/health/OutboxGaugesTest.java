package dev.verist.storage.pg.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox's gauges through the store bean, on rows made by a Java SE store on the same schema. */
class OutboxGaugesTest {

    private static final RetryPolicy IN_AN_HOUR = new RetryPolicy(5, Duration.ofHours(1), 2, Duration.ofHours(2), false);

    private HealthEnvironment env;

    @BeforeEach
    void environment() throws Exception {
        env = new HealthEnvironment();
    }

    @AfterEach
    void close() throws Exception {
        env.close();
    }

    @Test
    void gaugesCountPendingDeadLettersWaitingRetriesAndExpiredLeases() throws Exception {
        commitInvokes("gauged", 6);
        OutboxEntry dead = leaseOne(Duration.ofMinutes(1));
        assertThat(env.store.markFailed(dead, "boom", RetryPolicy.none())).isEqualTo(OutboxStatus.FAILED);
        OutboxEntry retry = leaseOne(Duration.ofMinutes(1));
        assertThat(env.store.markFailed(retry, "later", IN_AN_HOUR)).isEqualTo(OutboxStatus.PENDING);
        leaseOne(Duration.ofMinutes(1)); // leased and current: counted nowhere below
        OutboxEntry abandoned = leaseOne(Duration.ofMinutes(1));
        // Its holder is gone: its lease ran out a second ago (a later lease would take it over, so none follows).
        env.execute("UPDATE verist_outbox SET lease_expires_at = now() - interval '1 second' WHERE id = "
                + Long.parseLong(abandoned.id()));
        env.execute("UPDATE verist_outbox SET created_at = now() - interval '90 seconds'"
                + " WHERE status = 'pending' AND next_attempt_at IS NULL");

        OutboxGauges gauges = env.container().select(OutboxGauges.class).get();

        assertThat(gauges.pending()).isEqualTo(2 + 1);    // 2 due and the waiting retry
        assertThat(gauges.failed()).isEqualTo(1);
        assertThat(gauges.waitingRetries()).isEqualTo(1);
        assertThat(gauges.expiredLeases()).isEqualTo(1);
        assertThat(gauges.oldestPendingAgeSeconds()).isBetween(90.0, 150.0);
    }

    @Test
    void oldestPendingAgeIsZeroWhenNothingIsDue() {
        OutboxGauges gauges = env.container().select(OutboxGauges.class).get();

        assertThat(gauges.pending()).isZero();
        assertThat(gauges.oldestPendingAgeSeconds()).isZero();
    }

    @Test
    void gaugesReadTheOutboxOnceForAllReadsWithinTheirInterval() {
        commitInvokes("first", 2);
        OutboxGauges gauges = env.container().select(OutboxGauges.class).get();
        assertThat(gauges.pending()).isEqualTo(2);

        commitInvokes("second", 3);

        assertThat(gauges.pending()).as("the reading of a moment ago").isEqualTo(2);
        assertThat(gauges.stats()).hasValueSatisfying(
                stats -> assertThat(stats.counts().get(OutboxStatus.PENDING)).isEqualTo(2));
    }

    @Test
    void gaugesAreNotANumberWhenTheDatabaseCannotBeRead() {
        env.useUnreachableDatabase();
        OutboxGauges gauges = env.container().select(OutboxGauges.class).get();

        assertThat(gauges.stats()).isEmpty();
        assertThat(gauges.pending()).isNaN();
        assertThat(gauges.oldestPendingAgeSeconds()).isNaN();
        assertThat(gauges.failed()).isNaN();
        assertThat(gauges.waitingRetries()).isNaN();
        assertThat(gauges.expiredLeases()).isNaN();
    }

    private void commitInvokes(String step, int count) {
        Commit.Builder commit = Commit.builder("gauges", "run-" + step, "s");
        for (int i = 0; i < count; i++) {
            commit.command(Command.invoke(step, Map.of("n", i)));
        }
        env.store.commit(commit.build());
    }

    private OutboxEntry leaseOne(Duration lease) {
        List<OutboxEntry> leased = env.store.leaseOutbox("gauges-test", 1, lease);
        assertThat(leased).hasSize(1);
        return leased.get(0);
    }
}
