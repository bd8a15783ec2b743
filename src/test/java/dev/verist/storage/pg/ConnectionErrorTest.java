package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.StorageException;
import org.junit.jupiter.api.Test;

/** A database that cannot be reached: the store says so, and that a retry may help. */
class ConnectionErrorTest {

    @Test
    void refusedConnectionIsARetryableConnectionErrorWithTheDriversCauseAndState() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing");
        config.setUsername("postgres");
        config.setConnectionTimeout(1_000); // room for the refused attempt to be made and recorded on a busy machine
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource nowhere = new HikariDataSource(config); PgRunStore down = PgRunStore.create(nowhere)) {
            assertThatThrownBy(() -> down.load("wf", "r"))
                    .isExactlyInstanceOf(StorageException.class)
                    .satisfies(e -> {
                        StorageException failure = (StorageException) e;
                        assertThat(failure.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                        assertThat(failure.retryable()).isTrue();
                        assertThat(failure.sqlState()).hasValue("08001");
                        // Over a data source the store is plain JDBC: the cause is the pool's own exception.
                        assertThat(e.getCause()).isInstanceOf(java.sql.SQLTransientConnectionException.class);
                        assertThat(e.getMessage()).contains("wf/r");
                    });
            assertThatThrownBy(() -> down.commit(Commit.builder("wf", "r", "s").build()))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                        assertThat(e.retryable()).isTrue();
                    });
        }
    }
}
