package dev.verist.it.payara;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.it.payara.app.Database;
import dev.verist.it.payara.app.Invoice;
import dev.verist.it.payara.app.InvoiceApproval;
import dev.verist.it.payara.app.InvoiceBean;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.RunState;
import dev.verist.storage.RunStore;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.Resolution;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import java.io.File;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * verist-storage-pg inside Payara Micro with Hibernate as the JPA provider. The tests run in the server (Arquillian
 * in-container): they call the application's CDI service and EJB, which write an {@link Invoice} with JPA and commit
 * workflow steps with the injected store, then check with plain JDBC (its own connection, outside the container's
 * transactions and pool) what PostgreSQL really holds. The subclasses choose the persistence unit(s) of the WAR.
 */
@ExtendWith(ArquillianExtension.class)
abstract class RunStoreOnPayaraContract {

    private static final String WORKFLOW = "invoice-approval";

    /**
     * The application WAR: its classes, the given persistence.xml and {@code @Verist} producer, and in WEB-INF/lib
     * the library with Hibernate, hypersistence-utils, Jackson and the PostgreSQL driver (Payara has none of them).
     */
    static WebArchive war(String name, String persistenceXml, Class<?> veristProducer, Class<?> testClass) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackage(Invoice.class.getPackage())
                .addClass(veristProducer)
                .addClasses(RunStoreOnPayaraContract.class, testClass)
                .addAsResource(persistenceXml, "META-INF/persistence.xml")
                .addAsWebInfResource(webInf("beans.xml"), "beans.xml")
                .addAsWebInfResource(webInf("payara-web.xml"), "payara-web.xml")
                .addAsLibraries(warLibraries())
                .addAsLibraries(jarOf(Assertions.class));
    }

    @Inject
    InvoiceApproval approval;

    @Inject
    InvoiceBean invoiceBean;

    @Inject
    RunStore runStore;

    @Inject
    PgRunStore pgRunStore;

    @Resource(lookup = "java:app/jdbc/veristIt")
    DataSource applicationDataSource;

    @Test
    void applicationDataSourceReachesTheDatabaseAndSchemaTheChecksRead() throws SQLException {
        String expected;
        try (Connection plain = Database.connect()) {
            expected = Database.whereAmI(plain);
        }
        try (Connection pooled = applicationDataSource.getConnection()) {
            assertThat(Database.whereAmI(pooled)).isEqualTo(expected).endsWith("/" + Database.SCHEMA);
        }
    }

    @Test
    void applicationWriteAndStoreCommitAreBothVisibleAfterTheTransactionCommits() {
        String runId = newRunId();

        RunState state = approval.approve(invoice(runId), createRun(runId));

        assertThat(state.version()).isEqualTo(1);
        assertThat(state.computed()).containsEntry("approved", true);
        assertThat(Database.count("invoice", "id", runId)).isEqualTo(1);
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(1);
        assertThat(Database.count("verist_events", "run_id", runId)).isEqualTo(1);
    }

    @Test
    void runtimeExceptionAfterStoreCommitRollsBackBothWrites() {
        String runId = newRunId();
        IllegalStateException failure = new IllegalStateException("payment gateway down");

        assertThatThrownBy(() -> approval.approveThenFail(invoice(runId), createRun(runId), failure))
                .isSameAs(failure);

        assertThat(Database.count("invoice", "id", runId)).isZero();
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(-1);
        assertThat(Database.count("verist_events", "run_id", runId)).isZero();
    }

    @Test
    void staleExpectedVersionRollsBackTheApplicationWrite() {
        String runId = newRunId();
        approval.approve(invoice(runId), createRun(runId));
        runStore.commit(Commit.builder(WORKFLOW, runId, "review").expectedVersion(1)
                .output(Map.of("reviewed", true)).event(AuditEvent.of("reviewed")).build());

        String invoiceId = runId + "-stale";
        Commit stale = Commit.builder(WORKFLOW, runId, "pay").expectedVersion(1)
                .output(Map.of("paid", true)).event(AuditEvent.of("paid")).build();
        assertThatThrownBy(() -> approval.approve(invoice(invoiceId), stale))
                .isExactlyInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));

        assertThat(Database.count("invoice", "id", invoiceId)).isZero();
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(2);
        assertThat(Database.count("verist_events", "run_id", runId)).isEqualTo(2);
    }

    @Test
    void caughtConflictStillRollsBackBecauseTheTransactionIsRollbackOnly() {
        String runId = newRunId();
        approval.approve(invoice(runId), createRun(runId));

        String invoiceId = runId + "-again";
        AtomicReference<ConflictException> caught = new AtomicReference<>();
        AtomicInteger statusAfterConflict = new AtomicInteger(-1);
        Commit createAgain = Commit.builder(WORKFLOW, runId, "approve")
                .output(Map.of("approved", false)).event(AuditEvent.of("approved-again")).build();

        // Payara's REQUIRED interceptor rolls a rollback-only transaction back without throwing.
        assertThatCode(() -> approval.approveIgnoringConflict(invoice(invoiceId), createAgain, (conflict, status) -> {
            caught.set(conflict);
            statusAfterConflict.set(status);
        })).doesNotThrowAnyException();

        assertThat(caught.get()).isNotNull();
        assertThat(caught.get().reason()).isEqualTo(ConflictReason.RUN_EXISTS);
        assertThat(statusAfterConflict.get()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        assertThat(Database.count("invoice", "id", invoiceId)).isZero();
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(1);
        assertThat(Database.count("verist_events", "run_id", runId)).isEqualTo(1);
        assertThat(runStore.load(WORKFLOW, runId)).get()
                .satisfies(state -> assertThat(state.computed()).containsEntry("approved", true));
    }

    @Test
    void statelessEjbCallerReceivesTheConflictItselfAndNothingIsWritten() {
        String runId = newRunId();
        invoiceBean.approve(invoice(runId), createRun(runId));
        assertThat(Database.count("invoice", "id", runId)).isEqualTo(1);

        String invoiceId = runId + "-ejb";
        Commit stale = Commit.builder(WORKFLOW, runId, "pay").expectedVersion(7)
                .output(Map.of("paid", true)).event(AuditEvent.of("paid")).build();
        assertThatThrownBy(() -> invoiceBean.approve(invoice(invoiceId), stale))
                .isExactlyInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictReason.VERSION_MISMATCH))
                .hasMessageContaining(WORKFLOW + "/" + runId);

        assertThat(Database.count("invoice", "id", invoiceId)).isZero();
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(1);
        assertThat(Database.count("verist_events", "run_id", runId)).isEqualTo(1);
    }

    @Test
    void statelessEjbThatCatchesTheConflictStillWritesNothing() {
        String runId = newRunId();
        invoiceBean.approve(invoice(runId), createRun(runId));

        String invoiceId = runId + "-ejb-again";
        AtomicReference<ConflictException> caught = new AtomicReference<>();
        AtomicReference<Boolean> rollbackOnly = new AtomicReference<>();
        Commit createAgain = Commit.builder(WORKFLOW, runId, "approve")
                .output(Map.of("approved", false)).event(AuditEvent.of("approved-again")).build();

        assertThatCode(() -> invoiceBean.approveIgnoringConflict(invoice(invoiceId), createAgain, (conflict, marked) -> {
            caught.set(conflict);
            rollbackOnly.set(marked);
        })).doesNotThrowAnyException();

        assertThat(caught.get()).isNotNull();
        assertThat(caught.get().reason()).isEqualTo(ConflictReason.RUN_EXISTS);
        assertThat(rollbackOnly.get()).isTrue();
        assertThat(Database.count("invoice", "id", invoiceId)).isZero();
        assertThat(Database.runVersion(WORKFLOW, runId)).isEqualTo(1);
        assertThat(Database.count("verist_events", "run_id", runId)).isEqualTo(1);
    }

    @Test
    void outboxLeasingInASecondTransactionSeesTheCommittedCommands() {
        String runId = newRunId();
        Command notify = Command.invoke("notify-customer", Map.of("invoice", runId));
        Command emit = Command.emit("invoice.approved", Map.of("invoice", runId, "amountCents", 12300));
        approval.approve(invoice(runId), Commit.builder(WORKFLOW, runId, "approve")
                .output(Map.of("approved", true)).command(notify).command(emit).build());

        List<OutboxEntry> leased = pgRunStore.leaseOutbox("payara-dispatcher", 100).stream()
                .filter(entry -> entry.runId().equals(runId))
                .toList();

        assertThat(leased).extracting(OutboxEntry::command).containsExactlyInAnyOrder(notify, emit);
        assertThat(leased).allSatisfy(entry -> assertThat(entry.status()).isEqualTo(OutboxStatus.LEASED));
        assertThat(leased).allSatisfy(entry -> assertThat(Database.outboxStatus(entry.id())).isEqualTo("leased"));

        OutboxEntry first = leased.get(0);
        pgRunStore.markDispatched(first.id(), "payara-dispatcher");
        assertThat(Database.outboxStatus(first.id())).isEqualTo("dispatched");

        // @Inject RunStore and @Inject PgRunStore are the same store.
        assertThat(runStore.load(WORKFLOW, runId)).get()
                .satisfies(state -> assertThat(state.version()).isEqualTo(1));
        assertThat(runStore).isInstanceOf(PgRunStore.class);
    }

    @Test
    void eventsAndReviewGateAreReadBackThroughTheMappedEntities() {
        String runId = newRunId();
        approval.approve(invoice(runId), createRun(runId));
        Command notify = Command.invoke("notify-customer", Map.of("invoice", runId));
        runStore.commit(Commit.builder(WORKFLOW, runId, "check").expectedVersion(1)
                .output(Map.of("score", 0.8))
                .event(AuditEvent.of("checked", Map.of("score", 0.8, "flags", List.of("amount"))))
                .command(Command.review("amount above limit", Map.of("limit", 10000)))
                .command(notify)
                .build());

        // JPQL over the verist entities (EventEntity, BlockEntity) with their jsonb columns.
        List<StoredEvent> events = runStore.events(WORKFLOW, runId);
        assertThat(events).extracting(StoredEvent::type).containsExactly("approved", "checked");
        assertThat(events.get(0).payload()).isEqualTo(Map.of("by", "it"));
        assertThat(events.get(1).payload()).isEqualTo(Map.of("score", 0.8, "flags", List.of("amount")));

        Block block = pgRunStore.getBlock(WORKFLOW, runId).orElseThrow();
        assertThat(block.type()).isEqualTo(BlockType.REVIEW);
        assertThat(block.reason()).isEqualTo("amount above limit");
        assertThat(block.payload()).isEqualTo(Map.of("limit", 10000));
        assertThat(Database.count("verist_outbox", "run_id", runId)).isEqualTo(1);

        assertThat(pgRunStore.resolveBlock(WORKFLOW, runId, Resolution.approve())).get()
                .satisfies(resolved -> assertThat(resolved.id()).isEqualTo(block.id()));
        assertThat(pgRunStore.getBlock(WORKFLOW, runId)).isEmpty();
        assertThat(pgRunStore.resolveBlock(WORKFLOW, runId, Resolution.approve())).isEmpty();
    }

    private static Commit createRun(String runId) {
        return Commit.builder(WORKFLOW, runId, "approve")
                .output(Map.of("approved", true))
                .event(AuditEvent.of("approved", Map.of("by", "it")))
                .build();
    }

    private static Invoice invoice(String id) {
        return new Invoice(id, "ACME", 12_300);
    }

    private static String newRunId() {
        return "run-" + UUID.randomUUID();
    }

    /** A file of src/main/webapp/WEB-INF; failsafe sets {@code basedir} to the project directory. */
    private static File webInf(String name) {
        return new File(System.getProperty("basedir", "."), "src/main/webapp/WEB-INF/" + name);
    }

    /** target/war-lib, filled by maven-dependency-plugin: the library, Hibernate and the rest of WEB-INF/lib. */
    private static File[] warLibraries() {
        String dir = Objects.requireNonNull(System.getProperty("war.lib.dir"), "system property war.lib.dir");
        File[] jars = new File(dir).listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No jars in " + dir + ": run the build through Maven (mvn verify)");
        }
        return jars;
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
