package dev.verist.storage.pg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One notification per interval from one store, on a clock the test moves. */
class NotifyThrottleTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final NotifyThrottle throttle = new NotifyThrottle(clock::get);

    @Test
    void theFirstCommitNotifies() {
        assertThat(throttle.take()).isTrue();
    }

    @Test
    void commitsWithinTheIntervalOfANotificationDoNot() {
        throttle.take();
        clock.addAndGet(NotifyThrottle.INTERVAL_NANOS - 1);

        assertThat(throttle.take()).isFalse();
        assertThat(throttle.take()).isFalse();
    }

    @Test
    void theFirstCommitAfterTheIntervalNotifiesAgainAndStartsANewInterval() {
        throttle.take();
        clock.addAndGet(NotifyThrottle.INTERVAL_NANOS);

        assertThat(throttle.take()).isTrue();
        assertThat(throttle.take()).isFalse();
    }
}
