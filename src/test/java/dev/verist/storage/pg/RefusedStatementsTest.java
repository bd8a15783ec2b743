package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Statements the database refuses: a read-only session (a standby after failover) and a statement timeout are
 * worth retrying; a missing privilege is not, and the message says what to grant.
 */
class RefusedStatementsTest extends StoreTest {

    @Test
    void writeOnAReadOnlySessionAsOnAStandbyIsRetryable() {
        withStoreWhoseSessions("SET default_transaction_read_only = on", readOnly ->
                assertThatThrownBy(() -> readOnly.commit(Commit.builder("wf", "r", "s").build()))
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.sqlState()).hasValue("25006");
                        }));
        assertThat(tables.count("verist_state")).isZero();
    }

    @Test
    void statementTimeoutIsRetryable() throws Exception {
        store.commit(Commit.builder("wf", "r", "s").build());
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM verist_state FOR UPDATE")) {
                lock.executeQuery().close();
            }
            withStoreWhoseSessions("SET statement_timeout = '200ms'", impatient ->
                    assertThatThrownBy(() -> impatient.commit(Commit.builder("wf", "r", "s2").expectedVersion(1).build()))
                            .isInstanceOfSatisfying(StorageException.class, e -> {
                                assertThat(e.retryable()).isTrue();
                                assertThat(e.sqlState()).hasValue("57014");
                            }));
            holder.rollback();
        }
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    }

    @Test
    void missingPrivilegeIsNotRetryableAndSaysWhatToGrant() {
        String role = "verist_test_nopriv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        tables.execute("CREATE ROLE " + role + " NOLOGIN; GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        try {
            withStoreWhoseSessions("SET ROLE " + role, unprivileged ->
                    assertThatThrownBy(() -> unprivileged.load("wf", "r"))
                            .isInstanceOfSatisfying(StorageException.class, e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                                assertThat(e.retryable()).isFalse();
                                assertThat(e.sqlState()).hasValue("42501");
                                assertThat(e.getMessage()).contains("grant SELECT, INSERT, UPDATE, DELETE");
                            }));
        } finally {
            tables.execute("REVOKE USAGE ON SCHEMA " + schema + " FROM " + role + "; DROP ROLE " + role);
        }
    }

    // A store over a pool whose every connection first runs `sessionSetting`.
    private void withStoreWhoseSessions(String sessionSetting, Consumer<PgRunStore> check) {
        HikariConfig config = poolConfig(TestDatabase.get(), schema, 1);
        config.setPoolName("refused-" + schema);
        config.setConnectionInitSql(sessionSetting);
        try (HikariDataSource pool = new HikariDataSource(config); PgRunStore refused = PgRunStore.create(pool)) {
            check.accept(refused);
        }
    }
}
