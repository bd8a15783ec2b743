package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.pg.internal.NotifyThrottle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The store notifies {@link PgSchema#OUTBOX_CHANNEL} when a transaction makes outbox entries due, so that
 * dispatchers on other nodes look at once; a change that makes nothing due stays silent.
 */
@StoreContract
class NotificationsTest extends StoreTest {

    private static final long THROTTLE_MILLIS = TimeUnit.NANOSECONDS.toMillis(NotifyThrottle.INTERVAL_NANOS) + 1;

    private Connection listener;

    @BeforeAll
    void listen() throws SQLException {
        listener = TestDatabase.get().connect();
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + PgSchema.OUTBOX_CHANNEL);
        }
    }

    @AfterAll
    void unlisten() throws SQLException {
        listener.close();
    }

    @BeforeEach
    void forgetEarlierNotifications() throws SQLException {
        sleep(THROTTLE_MILLIS); // and let the store's throttle pass, so that the next commit with commands notifies
        received(0);
    }

    @Test
    void aCommitWithCommandsNotifiesOnceWhenItCommits() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.emit("a", 1)).command(Command.emit("b", 2)).build());

        assertThat(received(2000)).isEqualTo(1);
    }

    @Test
    void aCommitWithoutCommandsDoesNotNotify() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").output(Map.of("x", 1)).build());

        assertThat(received(300)).isZero();
    }

    @Test
    void aCommitThatFailsDoesNotNotify() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").build());
        sleep(THROTTLE_MILLIS);
        received(0);

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s2").expectedVersion(7)
                .command(Command.emit("a", 1)).build())).isInstanceOf(ConflictException.class);

        assertThat(received(300)).isZero();
    }

    @Test
    void commandsHeldForAReviewNotifyWhenTheReviewIsApprovedNotBefore() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.review("look")).command(Command.emit("a", 1)).build());
        assertThat(received(300)).isZero();

        store.resolveBlock("wf", "r", Resolution.approve());

        assertThat(received(2000)).isEqualTo(1);
    }

    @Test
    void aRejectedReviewDoesNotNotify() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.review("look")).command(Command.emit("a", 1)).build());
        received(300);

        store.resolveBlock("wf", "r", Resolution.reject());

        assertThat(received(300)).isZero();
    }

    @Test
    void aResumeNotifies() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.suspend("wait", Map.of())).build());
        received(300);

        store.resolveBlock("wf", "r", Resolution.resume(Map.of("answer", 42)));

        assertThat(received(2000)).isEqualTo(1);
    }

    @Test
    void aRequeueNotifiesOnlyWhenItRequeuedAnEntry() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.emit("a", 1)).build());
        OutboxEntry dead = store.leaseOutbox("d", 1).get(0);
        store.markFailed(dead, "down", RetryPolicy.none());
        received(300);

        assertThat(store.requeueFailed("other-workflow")).isZero();
        assertThat(received(300)).isZero();
        assertThat(store.requeue(dead.id())).isTrue();
        assertThat(received(2000)).isEqualTo(1);

        store.markFailed(store.leaseOutbox("d", 1).get(0), "down", RetryPolicy.none());
        assertThat(store.requeueFailed(null)).isEqualTo(1);
        assertThat(received(2000)).isEqualTo(1);
    }

    @Test
    void aReleaseForNowNotifiesAndADelayedOneDoesNot() throws SQLException {
        store.commit(Commit.builder("wf", "r", "s").command(Command.emit("a", 1)).command(Command.emit("b", 2)).build());
        var leased = store.leaseOutbox("d", 2);
        received(300);

        store.release(leased.get(0), Duration.ofMinutes(1));
        assertThat(received(300)).isZero();
        store.release(leased.get(1), Duration.ZERO);
        assertThat(received(2000)).isEqualTo(1);
    }

    // The notifications that arrive within waitMillis (0: those already there), read and counted.
    private int received(int waitMillis) throws SQLException {
        PGConnection pg = listener.unwrap(PGConnection.class);
        int count = count(waitMillis == 0 ? pg.getNotifications() : pg.getNotifications(waitMillis));
        if (count > 0 && waitMillis > 0) {
            count += count(pg.getNotifications(100)); // a second one, had the call sent two, would come meanwhile
        }
        return count;
    }

    private static int count(PGNotification[] notifications) {
        return notifications == null ? 0 : notifications.length;
    }
}
