package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures of the database as the caller sees them: the code, whether a retry can help, and the SQLSTATE. */
@StoreContract
@Timeout(120)
class ErrorsTest extends StoreTest {

    @Test
    void databaseRestartDuringACallIsARetryableConnectionErrorAndTheStoreKeepsWorking() throws Exception {
        store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).build());
        CompletableFuture<Object> blocked;
        // Hold the run's row so the store's update waits on it; then end its backend as a restart would.
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT 1 FROM verist_state WHERE workflow_id = 'wf' AND run_id = 'r' FOR UPDATE")) {
                lock.executeQuery().close();
            }
            blocked = CompletableFuture.supplyAsync(() -> store.commit(Commit.builder("wf", "r", "s2")
                    .expectedVersion(1).output(Map.of("b", 2)).build()));
            int waiter = awaitBackendWaitingForALock();
            tables.rows("SELECT pg_terminate_backend(?) AS ok", waiter);
            holder.rollback();
        }

        assertThatThrownBy(() -> blocked.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                    assertThat(e.retryable()).as(e.getMessage()).isTrue();
                    assertThat(e.sqlState()).as(e.getMessage()).hasValueSatisfying(
                            state -> assertThat(state).isIn("57P01", "08006", "08003"));
                    assertThat(e.getMessage()).contains("wf/r");
                });
        assertThat(tables.rows("SELECT version FROM verist_state")).containsExactly(Map.of("version", 1));

        // The pool drops the dead connection; any failure on the way back must be retryable too.
        List<StorageException> failures = new ArrayList<>();
        boolean recovered = false;
        for (int attempt = 0; attempt < 10 && !recovered; attempt++) {
            try {
                recovered = store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1).build()).version() == 2;
            } catch (StorageException e) {
                failures.add(e);
            }
        }
        assertThat(recovered).as(failures.toString()).isTrue();
        assertThat(failures).allSatisfy(e -> assertThat(e.retryable()).as(e.getMessage()).isTrue());
    }

    @Test
    void missingTableIsANonRetryableConnectionErrorThatNamesTheMigration() {
        store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).build());

        withTableMissing("verist_state", () -> assertThatThrownBy(() -> store.load("wf", "r"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertMissingTable(e);
                    assertThat(e.getMessage()).contains("load of wf/r", "verist_state");
                }));
        assertThat(store.load("wf", "r")).isPresent();
    }

    @Test
    void missingTableReadAsEntitiesIsNotRetryableEither() {
        withTableMissing("verist_events", () -> assertThatThrownBy(() -> store.events("wf", "r"))
                .isInstanceOfSatisfying(StorageException.class, ErrorsTest::assertMissingTable));
        assertThat(store.events("wf", "r")).isEmpty();
    }

    private static void assertMissingTable(StorageException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
        assertThat(e.retryable()).isFalse();
        assertThat(e.sqlState()).hasValue("42P01");
        assertThat(e.getMessage()).contains("run schema.sql or the Flyway migrations in classpath:db/migration/verist");
    }

    private void withTableMissing(String table, Runnable check) {
        tables.execute("ALTER TABLE " + table + " RENAME TO " + table + "_elsewhere");
        try {
            check.run();
        } finally {
            tables.execute("ALTER TABLE " + table + "_elsewhere RENAME TO " + table);
        }
    }

    // The backend of the store's connection, once it waits for the row lock the test holds.
    private int awaitBackendWaitingForALock() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'"
                            + " AND pid <> pg_backend_pid()")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the store's call never waited for the row lock");
    }
}
