package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultsAreTenAttemptsFromOneSecondDoublingUpToTenMinutesWithJitter() {
        RetryPolicy defaults = RetryPolicy.defaults();

        assertThat(defaults).isEqualTo(new RetryPolicy(10, Duration.ofSeconds(1), 2, Duration.ofMinutes(10), true));
        assertThat(defaults.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(defaults.backoff(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(defaults.backoff(11)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void noneIsOneAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().backoff(1)).isEqualTo(Duration.ZERO);
    }

    @Test
    void fewerThanOneFailureCountsAsOne() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(250), 3, Duration.ofHours(1), false);

        assertThat(policy.backoff(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.backoff(-7)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(2250));
    }

    @Test
    void backoffIsCappedAndNeverOverflows() {
        RetryPolicy policy = new RetryPolicy(1000, Duration.ofDays(365 * 200), 10, Duration.ofDays(365 * 1000), false);

        assertThat(policy.backoff(1)).isEqualTo(Duration.ofDays(365 * 200));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofDays(365 * 1000));
        assertThat(policy.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(365 * 1000));
    }

    @Test
    void aMultiplierOfOneKeepsTheWaitConstant() {
        RetryPolicy constant = new RetryPolicy(5, Duration.ofSeconds(3), 1, Duration.ofMinutes(1), false);

        assertThat(constant.backoff(1)).isEqualTo(constant.backoff(4)).isEqualTo(Duration.ofSeconds(3));
    }
}
