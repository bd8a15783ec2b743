package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.Commit;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionErrorTest extends StoreTest {

    @Test
    void unreachableDatabaseIsConnectionErrorWithTheDriversCause() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing");
        config.setUsername("postgres");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource nowhere = new HikariDataSource(config); PgRunStore down = PgRunStore.create(nowhere)) {
            assertThatThrownBy(() -> down.load("wf", "r"))
                    .isExactlyInstanceOf(StorageException.class)
                    .satisfies(e -> {
                        assertThat(((StorageException) e).code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
                        assertThat(e.getCause()).isNotNull();
                        assertThat(e.getMessage()).contains("wf/r");
                    });
            assertThatThrownBy(() -> down.commit(Commit.builder("wf", "r", "s").build()))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR));
        }
    }

    @Test
    void storeKeepsWorkingAfterTheDatabaseDroppedItsConnections() {
        store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).build());
        // The pool names its connections after this class's schema, so only they are dropped.
        int killed = tables.rows("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity"
                + " WHERE pid <> pg_backend_pid() AND application_name = ?", schema).size();
        assertThat(killed).isPositive();

        List<StorageException> failures = new ArrayList<>();
        boolean recovered = false;
        for (int attempt = 0; attempt < 10 && !recovered; attempt++) {
            try {
                recovered = store.load("wf", "r").isPresent();
            } catch (StorageException e) {
                failures.add(e);
            }
        }
        assertThat(recovered).isTrue();
        assertThat(failures).allSatisfy(e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR));
    }
}
