package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.ErrorCode;
import dev.verist.storage.StorageException;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A persistence unit set up without the verist entities: refused at once, not retryable, naming the fix. */
class UnitMappingTest {

    @Test
    void storeOverAnApplicationFactoryWithoutTheVeristMappingIsRefusedNamingTheMappingFile() {
        TestDatabase db = TestDatabase.get();
        String schema = db.createSchema("verist_mapping");
        try (HikariDataSource pool = StoreTest.pool(db, schema, 1)) {
            EntityManagerFactory unit = Persistence.createEntityManagerFactory("application-without-verist",
                    Map.of("hibernate.connection.datasource", pool));
            try {
                assertThatThrownBy(() -> PgRunStore.create(unit))
                        .isInstanceOfSatisfying(StorageException.class, missingMapping("application-without-verist"));
            } finally {
                unit.close();
            }
        } finally {
            db.dropSchema(schema);
        }
    }

    @Test
    void containerStoreOnAUnitWithoutTheVeristMappingFailsEveryCallNamingTheMappingFile() throws Exception {
        try (WiredStore wired = JtaWiring.open(false, "application-only-jta")) {
            PgRunStore store = wired.store();

            assertThatThrownBy(() -> store.events("wf", "r"))
                    .isInstanceOfSatisfying(StorageException.class, missingMapping("application-only-jta"));
            assertThatThrownBy(() -> store.load("wf", "r"))
                    .isInstanceOfSatisfying(StorageException.class, missingMapping("application-only-jta"));
        }
    }

    private static Consumer<StorageException> missingMapping(String unit) {
        return e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_ERROR);
            assertThat(e.retryable()).isFalse();
            assertThat(e.sqlState()).isEmpty();
            assertThat(e.getMessage()).contains("'" + unit + "'", "<mapping-file>META-INF/verist-orm.xml</mapping-file>");
        };
    }
}
