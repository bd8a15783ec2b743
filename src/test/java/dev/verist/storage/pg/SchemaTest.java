package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.StorageException;
import dev.verist.storage.pg.entity.BlockEntity;
import dev.verist.storage.pg.entity.EventEntity;
import dev.verist.storage.pg.entity.OutboxEntity;
import dev.verist.storage.pg.entity.RunStateEntity;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
        assertThat(indexDef(indexes, "verist_events_run_idx")).contains("(workflow_id, run_id, id)");
        assertThat(indexDef(indexes, "verist_outbox_pending_idx")).contains("(status, created_at)");
        assertThat(indexDef(indexes, "verist_outbox_due_idx"))
                .contains("(created_at, id)", "WHERE ((status = 'pending'::text) AND (next_attempt_at IS NULL))");
        assertThat(indexDef(indexes, "verist_outbox_retry_idx"))
                .contains("(next_attempt_at)", "WHERE ((status = 'pending'::text) AND (next_attempt_at IS NOT NULL))");
        assertThat(indexes).extracting(row -> row.get("indexname")).doesNotContain("verist_outbox_lease_idx");
    }

    @Test
    void schemaFileIsTheMigrationsAppliedInOrderAndUpgradesAVersionOneDatabase() {
        Map<String, List<String>> fromFile = catalogAfter(fresh -> PgSchema.apply(fresh));
        Map<String, List<String>> fromFlyway = catalogAfter(fresh -> migrate(fresh, "latest"));
        Map<String, List<String>> upgraded = catalogAfter(fresh -> {
            migrate(fresh, "1");
            PgSchema.apply(fresh);
        });

        assertThat(fromFile.get("columns")).contains("verist_outbox.lease_token bigint null=YES default=null",
                "verist_outbox.next_attempt_at timestamp with time zone null=YES default=null",
                "verist_commits.commit_id text null=NO default=null");
        assertThat(fromFile.get("constraints"))
                .contains("verist_commits_pkey PRIMARY KEY (workflow_id, run_id, commit_id)");
        assertThat(fromFlyway).isEqualTo(fromFile);
        assertThat(upgraded).isEqualTo(fromFile);
    }

    @Test
    void versionOneMigrationStaysByteForByteAsShipped() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("db/migration/verist/V1__verist_schema.sql")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            // Flyway checksums applied migrations: a changed V1 would break migrate on every database that has it.
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo(V1_SHA256);
        }
    }

    @Test
    void onAVersionOneDatabaseRunsWorkAndLeasingNamesTheMissingMigration() {
        withFreshSchema("verist_v1", fresh -> {
            migrate(fresh, "1");
            try (PgRunStore v1Store = PgRunStore.create(fresh)) {
                v1Store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).event(AuditEvent.of("e"))
                        .command(Command.suspend("wait", Map.of("page", 1))).build());
                v1Store.setOverlay("wf", "r", Map.of("a", 2));
                assertThat(v1Store.load("wf", "r")).hasValueSatisfying(st -> assertThat(st.effective()).containsEntry("a", 2));
                assertThat(v1Store.events("wf", "r")).hasSize(1);
                assertThat(v1Store.getBlock("wf", "r")).isPresent();
                assertThat(v1Store.resolveBlock("wf", "r", Resolution.resume(Map.of("ok", true)))).isPresent();

                assertThatThrownBy(() -> v1Store.leaseOutbox("d", 5)).isInstanceOfSatisfying(StorageException.class,
                        e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.sqlState()).hasValue("42703");
                            assertThat(e.getMessage()).contains("predates a migration", "V2",
                                    "run schema.sql or the Flyway migrations in classpath:db/migration/verist");
                        });
            }
        });
    }

    @Test
    void onAVersionTwoDatabaseCommitsWithoutAnIdWorkAndOneWithAnIdNamesTheMissingMigration() {
        withFreshSchema("verist_v2", fresh -> {
            migrate(fresh, "2");
            try (PgRunStore v2Store = PgRunStore.create(fresh)) {
                v2Store.commit(Commit.builder("wf", "r", "s").output(Map.of("a", 1)).command(Command.emit("t", 1)).build());
                assertThat(v2Store.leaseOutbox("d", 5)).hasSize(1);

                assertThatThrownBy(() -> v2Store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                        .commitId("c").command(Command.emit("t", 2)).build()))
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.sqlState()).hasValue("42P01");
                            assertThat(e.getMessage()).contains("V3's verist_commits", "commitId",
                                    "run schema.sql or the Flyway migrations in classpath:db/migration/verist");
                        });
                assertThat(v2Store.load("wf", "r")).hasValueSatisfying(st -> assertThat(st.version()).isEqualTo(1));
                assertThat(new Tables(fresh).count("verist_outbox")).isEqualTo(1);
            }
        });
    }

    @Test
    void versionFourGivesTheEventsIndexTheIdKeepingItsNameAndTheEvents() {
        for (boolean byFlyway : new boolean[] {true, false}) {
            withFreshSchema("verist_v3", fresh -> {
                migrate(fresh, "3");
                try (PgRunStore v3Store = PgRunStore.create(fresh)) {
                    v3Store.commit(Commit.builder("wf", "r", "s").event(AuditEvent.of("a")).event(AuditEvent.of("b"))
                            .build());
                    assertThat(PgSchema.missingObjects(fresh)).containsExactly("verist_events_run_idx.id");
                    assertThat(v3Store.events("wf", "r", null, 1)).extracting(e -> e.type()).containsExactly("a");
                }
                Tables t = new Tables(fresh);
                assertThat(eventsIndex(t)).endsWith("(workflow_id, run_id)");

                upgrade(fresh, byFlyway);

                assertThat(eventsIndex(t)).endsWith("(workflow_id, run_id, id)");
                assertThat(t.count("verist_events")).isEqualTo(2);
                assertThat(PgSchema.missingObjects(fresh)).isEmpty();
            });
        }
    }

    @Test
    void versionFourTakesAnIndexBuiltBeforehandAndRebuildsOneLeftInvalid() {
        for (boolean invalid : new boolean[] {false, true}) {
            withFreshSchema("verist_v3", fresh -> {
                migrate(fresh, "3");
                Tables t = new Tables(fresh);
                t.execute("CREATE INDEX CONCURRENTLY verist_events_run_page_idx ON verist_events (workflow_id, run_id, id)");
                long built = oid(t, "verist_events_run_page_idx");
                if (invalid) {
                    // what a CREATE INDEX CONCURRENTLY that failed half-way leaves behind
                    t.update("UPDATE pg_index SET indisvalid = false"
                            + " WHERE indexrelid = 'verist_events_run_page_idx'::regclass");
                }

                upgrade(fresh, true);

                assertThat(oid(t, "verist_events_run_idx") == built).as("the index built beforehand is the one kept")
                        .isEqualTo(!invalid);
                assertThat(t.bool("SELECT indisvalid FROM pg_index WHERE indexrelid = 'verist_events_run_idx'::regclass"))
                        .isTrue();
                assertThat(eventsIndex(t)).endsWith("(workflow_id, run_id, id)");
                assertThat(t.rows("SELECT 1 FROM pg_class WHERE relname = 'verist_events_run_page_idx'")).isEmpty();
            });
        }
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
            migrate(fresh, "latest");
            try (PgRunStore flywayStore = PgRunStore.create(fresh)) {
                flywayStore.commit(Commit.builder("wf", "r", "s").command(Command.invoke("next", null)).build());
                assertThat(flywayStore.leaseOutbox("d", 5)).hasSize(1);
            }
            assertThat(new Tables(fresh).rows("SELECT version FROM flyway_schema_history WHERE success"))
                    .extracting(row -> row.get("version")).containsExactly("1", "2", "3", "4");
        });
    }

    @Test
    void duplicateCreateIsRunExistsOnADatabaseWhoseStateKeyHasTheDrizzleName() {
        withFreshSchema("verist_drizzle", fresh -> {
            String drizzleDdl = PgSchema.ddl()
                    .replace("CONSTRAINT verist_state_pkey PRIMARY KEY", "CONSTRAINT verist_state_workflow_id_run_id_pk PRIMARY KEY");
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

    // The SHA-256 of V1__verist_schema.sql as the first release shipped it.
    private static final String V1_SHA256 = "62b6474cc06d8e3ae598b1d0bb6e22cc00f88515e5aba0528480e027a4361627";

    // What a schema holds, with its name taken out, to compare schemas built in different ways.
    private static Map<String, List<String>> catalogAfter(Consumer<HikariDataSource> build) {
        Map<String, List<String>> catalog = new LinkedHashMap<>();
        withFreshSchema("verist_catalog", fresh -> {
            build.accept(fresh);
            Tables t = new Tables(fresh);
            catalog.put("columns", t.rows("""
                    SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
                           || ' default=' || coalesce(column_default, 'null') AS x
                    FROM information_schema.columns WHERE table_schema = current_schema()
                      AND table_name LIKE 'verist%' ORDER BY 1""").stream().map(r -> (String) r.get("x")).toList());
            catalog.put("indexes", t.rows("""
                    SELECT replace(indexdef, current_schema() || '.', '') AS x FROM pg_indexes
                    WHERE schemaname = current_schema() AND tablename LIKE 'verist%' ORDER BY 1""")
                    .stream().map(r -> (String) r.get("x")).toList());
            catalog.put("constraints", t.rows("""
                    SELECT conname || ' ' || pg_get_constraintdef(c.oid) AS x FROM pg_constraint c
                    JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()
                      AND conname LIKE 'verist%' ORDER BY 1""")
                    .stream().map(r -> (String) r.get("x")).toList());
            catalog.put("triggers", t.rows("""
                    SELECT replace(pg_get_triggerdef(tg.oid), current_schema() || '.', '') AS x FROM pg_trigger tg
                    JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND NOT tg.tgisinternal ORDER BY 1""")
                    .stream().map(r -> (String) r.get("x")).toList());
            catalog.put("routines", t.rows("""
                    SELECT p.proname || ' ' || p.prosrc AS x FROM pg_proc p
                    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() ORDER BY 1""")
                    .stream().map(r -> (String) r.get("x")).toList());
            catalog.put("sequences", t.rows("""
                    SELECT sequence_name || ' ' || data_type AS x FROM information_schema.sequences
                    WHERE sequence_schema = current_schema() ORDER BY 1""").stream().map(r -> (String) r.get("x")).toList());
        });
        return catalog;
    }

    private static String eventsIndex(Tables t) {
        return (String) t.rows("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND indexname = 'verist_events_run_idx'").get(0).get("indexdef");
    }

    private static long oid(Tables t, String relation) {
        return ((Number) t.rows("SELECT to_regclass(?)::oid::bigint AS o", relation).get(0).get("o")).longValue();
    }

    private static void upgrade(HikariDataSource fresh, boolean byFlyway) {
        if (byFlyway) {
            migrate(fresh, "latest");
        } else {
            PgSchema.apply(fresh);
        }
    }

    // Flyway's migrations from the jar up to the given version ("latest": all of them).
    private static void migrate(HikariDataSource fresh, String target) {
        Flyway.configure().dataSource(fresh).locations(PgSchema.FLYWAY_LOCATION).target(target).load().migrate();
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
