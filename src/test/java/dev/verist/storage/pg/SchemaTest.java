package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.pg.entity.BlockEntity;
import dev.verist.storage.pg.entity.EventEntity;
import dev.verist.storage.pg.entity.OutboxEntity;
import dev.verist.storage.pg.entity.RunStateEntity;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;

class SchemaTest extends StoreTest {

    @Test
    void schemaNamesEveryConstraintAndIndexOfTheWireContract() {
        List<Map<String, Object>> indexes = tables.rows(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname");
        assertThat(indexes).extracting(row -> row.get("indexname")).contains(
                "verist_state_pkey", "verist_events_run_idx", "verist_outbox_dedupe_idx", "verist_outbox_pending_idx",
                "verist_blocks_active_idx", "verist_blocks_pending_idx");
        assertThat(indexDef(indexes, "verist_blocks_active_idx"))
                .contains("UNIQUE", "(workflow_id, run_id)", "WHERE (resolved_at IS NULL)");
        assertThat(indexDef(indexes, "verist_outbox_dedupe_idx")).contains("UNIQUE", "(dedupe_key)");
        assertThat(indexDef(indexes, "verist_outbox_pending_idx")).contains("(status, created_at)");
    }

    @Test
    void applyingTheSchemaAgainChangesNothing() {
        store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).event(AuditEvent.of("e")).build());
        PgSchema.apply(dataSource);
        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=0, blocks=0");
        assertThat(store.load("wf", "r")).isPresent();
    }

    @Test
    void entityMappingsValidateAgainstTheSchema() {
        Configuration configuration = new Configuration();
        configuration.getProperties().put(AvailableSettings.DATASOURCE, dataSource);
        configuration.setProperty(AvailableSettings.HBM2DDL_AUTO, "validate");
        List.of(RunStateEntity.class, EventEntity.class, OutboxEntity.class, BlockEntity.class)
                .forEach(configuration::addAnnotatedClass);
        configuration.buildSessionFactory().close();
    }

    @Test
    void flywayMigrationFromTheJarCreatesAWorkingSchema() {
        withFreshSchema("verist_flyway", fresh -> {
            Flyway.configure().dataSource(fresh).locations(PgSchema.FLYWAY_LOCATION).load().migrate();
            try (PgRunStore flywayStore = PgRunStore.create(fresh)) {
                flywayStore.commit(Commit.builder("wf", "r", "s").command(Command.invoke("next", null)).build());
                assertThat(flywayStore.leaseOutbox("d", 5)).hasSize(1);
            }
            assertThat(new Tables(fresh).rows("SELECT version FROM flyway_schema_history WHERE success"))
                    .extracting(row -> row.get("version")).containsExactly("1");
        });
    }

    @Test
    void duplicateCreateIsRunExistsOnADatabaseWhoseStateKeyHasTheDrizzleName() {
        withFreshSchema("verist_drizzle", fresh -> {
            String drizzleDdl = PgSchema.ddl()
                    .replace("CONSTRAINT verist_state_pkey PRIMARY KEY", "CONSTRAINT verist_state_workflow_id_run_id_pk PRIMARY KEY")
                    .replaceAll("(?s)CREATE INDEX IF NOT EXISTS verist_outbox_lease_idx.*?;", "");
            new Tables(fresh).execute(drizzleDdl);
            assertThat(new Tables(fresh).rows("SELECT conname FROM pg_constraint WHERE conname = 'verist_state_workflow_id_run_id_pk'"))
                    .hasSize(1);
            try (PgRunStore drizzleStore = PgRunStore.create(fresh)) {
                drizzleStore.commit(Commit.builder("wf", "r", "s").command(Command.emit("t", 1)).build());
                assertThatThrownBy(() -> drizzleStore.commit(Commit.builder("wf", "r", "s").build()))
                        .isInstanceOfSatisfying(ConflictException.class,
                                e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));
                assertThat(drizzleStore.leaseOutbox("d", 5)).hasSize(1);
            }
        });
    }

    @Test
    void theJarCarriesTheSchemaAsFile() {
        assertThat(PgSchema.ddl()).contains("CREATE TABLE IF NOT EXISTS verist_state", "verist_events_append_only");
        assertThat(getClass().getClassLoader().getResource("db/migration/verist/V1__verist_schema.sql")).isNotNull();
        assertThat(getClass().getClassLoader().getResource("META-INF/verist-orm.xml")).isNotNull();
    }

    private static String indexDef(List<Map<String, Object>> indexes, String name) {
        return indexes.stream().filter(row -> name.equals(row.get("indexname")))
                .map(row -> (String) row.get("indexdef")).findFirst().orElseThrow();
    }

    private static void withFreshSchema(String prefix, Consumer<HikariDataSource> test) {
        TestDatabase db = TestDatabase.get();
        String fresh = db.createSchema(prefix);
        try (HikariDataSource pool = pool(db, fresh, 2)) {
            test.accept(pool);
        } finally {
            db.dropSchema(fresh);
        }
    }
}
