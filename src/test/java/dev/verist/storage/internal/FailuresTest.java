package dev.verist.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailuresTest {

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "08P01", "25006", "40001", "40P01", "53000", "53100",
            "53200", "53300", "55P03", "57014", "57P01", "57P02", "57P03"})
    void connectionRestartTimeoutSerializationDeadlockAndResourceStatesAreRetryable(String state) {
        Exception failure = new RuntimeException("wrapped", new SQLException("driver", state));

        assertThat(Failures.retryable(failure)).isTrue();
        assertThat(Failures.sqlState(failure)).isEqualTo(state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P01", "42703", "42501", "3F000", "23505", "22P02", "28P01", "3D000", "57P04", "XX000"})
    void missingObjectsPermissionsBadDataAndAuthenticationAreNotRetryable(String state) {
        Exception failure = new RuntimeException("wrapped", new SQLException("driver", state));

        assertThat(Failures.retryable(failure)).isFalse();
        assertThat(Failures.sqlState(failure)).isEqualTo(state);
    }

    @Test
    void aPoolTimeoutWithoutStateIsRetryable() {
        Exception failure = new RuntimeException(new SQLTransientConnectionException("pool - request timed out"));

        assertThat(Failures.retryable(failure)).isTrue();
        assertThat(Failures.sqlState(failure)).isNull();
    }

    @Test
    void aPoolTimeoutCarryingAnAuthenticationStateIsNotRetryable() {
        Exception failure = new SQLTransientConnectionException("pool - request timed out", "28P01");

        assertThat(Failures.retryable(failure)).isFalse();
    }

    @Test
    void aSocketTimeoutWithoutStateIsRetryable() {
        assertThat(Failures.retryable(new IllegalStateException(new SocketTimeoutException("read timed out")))).isTrue();
    }

    @Test
    void theOutermostStateWins() {
        SQLException outer = new SQLException("outer", "40001", new SQLException("inner", "42P01"));

        assertThat(Failures.sqlState(outer)).isEqualTo("40001");
        assertThat(Failures.retryable(outer)).isTrue();
    }

    @Test
    void aFailureWithoutSqlCauseIsNotRetryable() {
        assertThat(Failures.retryable(new IllegalArgumentException("mapping"))).isFalse();
        assertThat(Failures.sqlState(null)).isNull();
    }

    @Test
    void aCyclicCauseChainEnds() {
        CyclicException a = new CyclicException();
        CyclicException b = new CyclicException();
        a.next = b;
        b.next = a;

        assertThat(Failures.retryable(a)).isFalse();
        assertThat(Failures.sqlState(a)).isNull();
    }

    private static final class CyclicException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Throwable next;

        @Override
        public synchronized Throwable getCause() {
            return next;
        }
    }
}
