package dev.verist.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryWaitTest {

    @Test
    void theWaitDoublesPerAttemptWithinHalfAndAllOfIt() {
        Duration backoff = Duration.ofMillis(100);
        for (int i = 0; i < 200; i++) {
            assertThat(Retry.waitNanos(2, backoff)).isBetween(50_000_000L, 100_000_000L);
            assertThat(Retry.waitNanos(5, backoff)).isBetween(400_000_000L, 800_000_000L);
        }
    }

    @Test
    void theWaitNeverExceedsTheCapHoweverManyAttempts() {
        long cap = Retry.MAX_WAIT.toNanos();
        for (int attempt : new int[] {12, 40, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(Retry.waitNanos(attempt, Duration.ofMillis(100))).isBetween(cap / 2, cap);
        }
        assertThat(Retry.waitNanos(2, Duration.ofDays(3))).isBetween(cap / 2, cap);
    }

    @Test
    void aZeroBackoffNeverWaits() {
        assertThat(Retry.waitNanos(2, Duration.ZERO)).isZero();
        assertThat(Retry.waitNanos(30, Duration.ZERO)).isZero();
    }
}
