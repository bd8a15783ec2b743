package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.NotFoundException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store over a pool whose connections come with autocommit off: calls that are one statement, and run
 * without a transaction of their own on an ordinary pool, still commit before they return, and a failed one
 * leaves the single connection usable.
 */
class ManualCommitPoolTest extends StoreTest {

    private HikariDataSource manualCommitPool;
    private PgRunStore manualStore;

    @BeforeAll
    void createManualCommitStore() {
        HikariConfig config = poolConfig(TestDatabase.get(), schema, 1);
        config.setPoolName("manual-commit-" + schema);
        config.setAutoCommit(false);
        manualCommitPool = new HikariDataSource(config);
        manualStore = PgRunStore.create(manualCommitPool);
    }

    @AfterAll
    void closeManualCommitStore() {
        manualStore.close();
        manualCommitPool.close();
    }

    @Test
    void singleStatementWritesAreCommittedBeforeTheCallReturns() {
        manualStore.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).build());
        manualStore.commit(Commit.builder("wf", "r", "s2").expectedVersion(1).output(Map.of("b", 2)).build());
        manualStore.setOverlay("wf", "r", Map.of("a", 9));
        manualStore.commit(Commit.builder("wf", "r", "s3").expectedVersion(2)
                .command(Command.emit("t", 1)).command(Command.emit("t", 2)).command(Command.emit("t", 3)).build());
        manualStore.leaseOutbox("d", 3);
        manualStore.markDispatched(List.of("1", "2"), "d");
        manualStore.markFailed("3", "d", "boom");

        // read on another pool: only committed work is visible there
        assertThat(tables.rows("SELECT version, computed::text AS computed, overlay::text AS overlay FROM verist_state"))
                .containsExactly(Map.of("version", 3, "computed", "{\"a\": 1, \"b\": 2}", "overlay", "{\"a\": 9}"));
        assertThat(tables.rows("SELECT status FROM verist_outbox ORDER BY id")).extracting(row -> row.get("status"))
                .containsExactly("dispatched", "dispatched", "failed");
    }

    @Test
    void failedSingleStatementCallsWriteNothingAndTheConnectionStaysUsable() {
        manualStore.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).build());
        Map<String, List<Map<String, Object>>> before = tables.snapshot();

        assertThatThrownBy(() -> manualStore.commit(Commit.builder("wf", "r", "s2").output(Map.of("a", 2)).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));
        assertThatThrownBy(() -> manualStore.commit(Commit.builder("wf", "r", "s2").expectedVersion(7).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));
        assertThatThrownBy(() -> manualStore.setOverlay("wf", "missing", Map.of("a", 1)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> manualStore.markDispatched(List.of("1"), "d"))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));

        assertThat(tables.snapshot()).isEqualTo(before);
        assertThat(manualStore.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    }
}
