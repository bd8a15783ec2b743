package dev.verist.storage.pg.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.pg.PgSchema;
import dev.verist.storage.pg.dispatch.OutboxDispatcher;
import java.time.Duration;
import java.time.Instant;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readiness in Weld SE with Narayana, on the real database: the database, its schema, the dispatcher. */
class VeristHealthTest {

    private static final String[] OBJECTS_SINCE_V1 = {"verist_outbox.lease_token", "verist_outbox.next_attempt_at",
        "verist_outbox_lease_token_seq", "verist_commits", "verist_events_run_idx.id"};

    private HealthEnvironment env;

    @BeforeEach
    void environment() throws Exception {
        env = new HealthEnvironment();
    }

    @AfterEach
    void close() throws Exception {
        env.close();
    }

    @Test
    void readinessIsUpWithACurrentSchemaAndARunningDispatcher() {
        WeldContainer container = env.containerWithDispatcher(env.settings());
        awaitRunning(container.select(OutboxDispatcher.class).get());

        Readiness readiness = container.select(VeristHealth.class).get().readiness();

        assertThat(readiness.up()).isTrue();
        assertThat(readiness.databaseReachable()).isTrue();
        assertThat(readiness.schemaCurrent()).isTrue();
        assertThat(readiness.missingSchemaObjects()).isEmpty();
        assertThat(readiness.dispatcher()).isEqualTo(DispatcherState.RUNNING);
        assertThat(readiness.detail()).isEmpty();
    }

    @Test
    void readinessIsUpWhenTheApplicationDoesNotTurnTheDispatcherOn() {
        WeldContainer container = env.container();

        Readiness readiness = container.select(VeristHealth.class).get().readiness();

        assertThat(readiness.dispatcher()).isEqualTo(DispatcherState.NOT_ENABLED);
        assertThat(readiness.up()).isTrue();
    }

    @Test
    void readinessIsDownWhenTheDispatcherIsTurnedOnButStopped() {
        WeldContainer container = env.containerWithDispatcher(env.settings());
        OutboxDispatcher dispatcher = container.select(OutboxDispatcher.class).get();
        awaitRunning(dispatcher);
        dispatcher.stop();

        Readiness readiness = container.select(VeristHealth.class).get().readiness();

        assertThat(readiness.dispatcher()).isEqualTo(DispatcherState.STOPPED);
        assertThat(readiness.up()).isFalse();
        assertThat(readiness.databaseReachable()).isTrue();
        assertThat(readiness.detail()).contains("dispatcher").contains("not running");
    }

    @Test
    void readinessIsDownWhenTheDatabaseCannotBeReachedAndSaysWhy() {
        env.useUnreachableDatabase();
        WeldContainer container = env.container();

        Readiness readiness = container.select(VeristHealth.class).get().readiness();

        assertThat(readiness.up()).isFalse();
        assertThat(readiness.databaseReachable()).isFalse();
        assertThat(readiness.schemaCurrent()).isFalse();
        assertThat(readiness.detail()).startsWith("the database cannot be reached: ").contains("Connection refused");
    }

    @Test
    void readinessOfAV1DatabaseIsDownNamingTheObjectsOfLaterMigrationsItLacks() throws Exception {
        env.downgradeToV1();
        WeldContainer container = env.container();

        Readiness readiness = container.select(VeristHealth.class).get().readiness();

        assertThat(readiness.up()).isFalse();
        assertThat(readiness.databaseReachable()).isTrue();
        assertThat(readiness.schemaCurrent()).isFalse();
        assertThat(readiness.missingSchemaObjects()).containsExactly(OBJECTS_SINCE_V1);
        assertThat(readiness.detail()).contains("migration V4").contains(OBJECTS_SINCE_V1);
    }

    @Test
    void schemaCheckNamesOnlyTheObjectsThatAreMissing() throws Exception {
        env.execute("ALTER TABLE verist_outbox DROP COLUMN next_attempt_at CASCADE");

        assertThat(PgSchema.missingObjects(env.plainPool)).containsExactly("verist_outbox.next_attempt_at");
    }

    @Test
    void schemaCheckOfAJavaSeDataSourceFindsNothingMissingOnACurrentSchema() {
        assertThat(PgSchema.missingObjects(env.plainPool)).isEmpty();
        assertThat(PgSchema.latestMigration()).isEqualTo("V4");
    }

    private static void awaitRunning(OutboxDispatcher dispatcher) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!dispatcher.running()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the dispatcher did not start");
            }
            Thread.onSpinWait();
        }
    }
}
