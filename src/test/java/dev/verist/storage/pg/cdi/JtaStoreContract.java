package dev.verist.storage.pg.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunStore;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.Tables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store as a CDI bean in a JTA transaction, with the application's own writes: they commit together,
 * roll back together, and a store failure never lets the application's write commit alone. Run once per
 * way of choosing the persistence unit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JtaStoreContract {

    static JtaEnvironment environment;
    Tables tables;

    @Inject
    InvoiceService invoices;

    @Inject
    RunStore runStore;

    @Inject
    PgRunStore pgRunStore;

    @BeforeAll
    void createEnvironment() throws Exception {
        environment = new JtaEnvironment();
        tables = new Tables(environment.dataSource);
        openUnits();
    }

    @AfterAll
    void closeEnvironment() {
        closeUnits();
        environment.close();
    }

    /** Builds the persistence units this way of wiring uses. */
    abstract void openUnits();

    /** Closes them. */
    abstract void closeUnits();

    @BeforeEach
    void emptyTables() {
        tables.truncateAll();
        tables.update("TRUNCATE app_invoice");
    }

    @Test
    void applicationWriteAndStoreCommitAreVisibleTogetherAfterCommit() {
        invoices.recordAndCommit(new Invoice("INV-1", 1200), create("run-1"));

        assertThat(invoiceCount()).isEqualTo(1);
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=1, blocks=0");
    }

    @Test
    void failureAfterTheStoresCommitRollsBackBoth() {
        assertThatThrownBy(() -> invoices.recordCommitAndFail(new Invoice("INV-1", 1200), create("run-1")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(invoiceCount()).isZero();
        assertThat(tables.counts()).isEqualTo("state=0, events=0, outbox=0, blocks=0");
    }

    @Test
    void failureAfterAStepWithoutCommandsRollsThatStepBackToo() {
        runStore.commit(create("run-1"));
        Commit plainStep = Commit.builder("wf", "run-1", "check").expectedVersion(1).output(Map.of("ok", true)).build();

        assertThatThrownBy(() -> invoices.recordRunAndFail(new Invoice("INV-1", 1200), () -> runStore.commit(plainStep)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(invoiceCount()).isZero();
        assertThat(pgRunStore.load("wf", "run-1")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
    }

    @Test
    void failureAfterFinalisingABatchLeavesItsEntriesLeased() {
        runStore.commit(create("run-1"));
        List<String> ids = pgRunStore.leaseOutbox("dispatcher", 10).stream().map(OutboxEntry::id).toList();

        assertThatThrownBy(() -> invoices.recordRunAndFail(new Invoice("INV-1", 1200),
                () -> pgRunStore.markDispatched(ids, "dispatcher")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(invoiceCount()).isZero();
        assertThat(tables.rows("SELECT status FROM verist_outbox")).extracting(r -> r.get("status"))
                .containsExactly("leased");
        pgRunStore.markDispatched(ids, "dispatcher");
        assertThat(tables.rows("SELECT status FROM verist_outbox")).extracting(r -> r.get("status"))
                .containsExactly("dispatched");
    }

    @Test
    void storeConflictRollsBackTheApplicationsWrite() {
        runStore.commit(create("run-1"));

        assertThatThrownBy(() -> invoices.recordAndCommit(new Invoice("INV-1", 1200), create("run-1")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));

        assertThat(invoiceCount()).isZero();
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=1, blocks=0");
    }

    @Test
    void swallowedStoreConflictStillRollsBackTheApplicationsWrite() {
        runStore.commit(create("run-1"));

        boolean rollbackOnly = invoices.recordAndCommitIgnoringConflicts(new Invoice("INV-1", 1200), create("run-1"));

        assertThat(rollbackOnly).as("the conflict marked the caller's transaction rollback-only").isTrue();
        assertThat(invoiceCount()).isZero();
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=1, blocks=0");
    }

    @Test
    void conflictDetectedAfterTheStoresOwnWritesRollsThemBackToo() {
        runStore.commit(Commit.builder("wf", "run-1", "review").command(Command.review("check")).build());

        Commit secondBlock = Commit.builder("wf", "run-1", "again").expectedVersion(1)
                .output(Map.of("late", true)).command(Command.review("again")).build();
        assertThatThrownBy(() -> invoices.recordAndCommit(new Invoice("INV-2", 5), secondBlock))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.ACTIVE_BLOCK));

        assertThat(invoiceCount()).isZero();
        assertThat(pgRunStore.load("wf", "run-1")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=1");
    }

    @Test
    void callsWithoutACallerTransactionCommitOnTheirOwn() {
        runStore.commit(create("run-1"));
        assertThatThrownBy(() -> runStore.commit(Commit.builder("wf", "run-1", "s").expectedVersion(7).build()))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> runStore.commit(Commit.builder("wf", " ", "s").build()))
                .isInstanceOf(InvalidRequestException.class);

        List<OutboxEntry> leased = pgRunStore.leaseOutbox("dispatcher", 10);
        assertThat(leased).singleElement().satisfies(e -> pgRunStore.markDispatched(e.id(), "dispatcher"));
        assertThat(tables.rows("SELECT status FROM verist_outbox")).extracting(r -> r.get("status"))
                .containsExactly("dispatched");
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=1, blocks=0");
    }

    @Test
    void runStoreAndPgRunStoreAreTheSameBean() {
        runStore.commit(create("run-1"));
        assertThat(pgRunStore.load("wf", "run-1")).isPresent();
        assertThat(runStore).isInstanceOf(PgRunStore.class);
    }

    private static Commit create(String runId) {
        return Commit.builder("wf", runId, "extract").output(Map.of("total", 1200))
                .command(Command.invoke("pay", Map.of("invoice", "INV"))).build();
    }

    private long invoiceCount() {
        return ((Number) tables.rows("SELECT count(*) AS n FROM app_invoice").get(0).get("n")).longValue();
    }
}
