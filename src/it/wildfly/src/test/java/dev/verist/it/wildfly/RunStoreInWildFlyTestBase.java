package dev.verist.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.DedupeKeys;
import dev.verist.storage.RunState;
import dev.verist.storage.RunStore;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store inside WildFly, through a stateless EJB and through a CDI {@code @Transactional} bean. Runs inside the
 * server (Arquillian in-container); every run id and invoice number is new, so the schema need not be empty.
 * Visibility is checked with plain JDBC outside any transaction ({@link Database}), i.e. committed rows only.
 */
@ExtendWith(ArquillianExtension.class)
abstract class RunStoreInWildFlyTestBase {

    static final String WORKFLOW = "invoice-approval";

    @Inject
    EjbInvoiceWorkflow ejb;

    @Inject
    CdiInvoiceWorkflow cdi;

    @Inject
    RunStore runStore;

    @Inject
    PgRunStore pgRunStore;

    @Inject
    Database database;

    // --- the set-up ---------------------------------------------------------------------------------------------

    @Test
    void theDatasourceWorksInTheDedicatedSchemaWhereTheTablesWereCreated() {
        assertThat(database.currentSchema()).isEqualTo(ItSchema.SCHEMA);
        assertThat(database.tableExists(ItSchema.SCHEMA + ".verist_state")).isTrue();
        assertThat(database.tableExists(ItSchema.SCHEMA + ".verist_outbox")).isTrue();
        assertThat(database.tableExists(ItSchema.SCHEMA + ".verist_it_invoice")).isTrue();
    }

    // --- (5) injection ------------------------------------------------------------------------------------------

    @Test
    void runStoreAndPgRunStoreAreBothInjectedAndShareTheSameData() {
        assertThat(runStore).isNotNull().isInstanceOf(PgRunStore.class);
        assertThat(pgRunStore).isNotNull();
        String run = newRunId();

        // No caller transaction here: the store runs the call in its own (REQUIRED) and commits it.
        RunState created = pgRunStore.commit(Commit.builder(WORKFLOW, run, "create")
                .output(Map.of("via", "PgRunStore"))
                .build());

        assertThat(created.version()).isEqualTo(1);
        assertThat(database.runVersion(WORKFLOW, run)).hasValue(1);
        assertThat(runStore.load(WORKFLOW, run)).get()
                .extracting(RunState::computed)
                .isEqualTo(Map.of("via", "PgRunStore"));
        RunState updated = runStore.commit(Commit.builder(WORKFLOW, run, "update")
                .expectedVersion(1)
                .output(Map.of("by", "RunStore"))
                .build());
        assertThat(updated.version()).isEqualTo(2);
        assertThat(pgRunStore.load(WORKFLOW, run)).get()
                .extracting(RunState::computed)
                .isEqualTo(Map.of("via", "PgRunStore", "by", "RunStore"));
    }

    // --- (1) both writes commit together ------------------------------------------------------------------------

    @Test
    void ejbCommitsTheInvoiceAndTheStepInOneTransaction() {
        commitsTheInvoiceAndTheStepInOneTransaction(ejb);
    }

    @Test
    void cdiTransactionalBeanCommitsTheInvoiceAndTheStepInOneTransaction() {
        commitsTheInvoiceAndTheStepInOneTransaction(cdi);
    }

    private void commitsTheInvoiceAndTheStepInOneTransaction(InvoiceWorkflow workflow) {
        String run = newRunId();
        Invoice invoice = newInvoice();

        RunState state = workflow.recordAndCommit(invoice, Commit.builder(WORKFLOW, run, "record")
                .output(Map.of("invoice", invoice.getNumber(), "amountCents", 12_500))
                .event(AuditEvent.of("invoice_recorded", Map.of("invoice", invoice.getNumber())))
                .build());

        assertThat(state.version()).isEqualTo(1);
        assertThat(database.invoiceExists(invoice.getNumber())).isTrue();
        assertThat(database.runVersion(WORKFLOW, run)).hasValue(1);
        assertThat(database.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded");
        // Read back through the store: the events are read as entities of the @Verist unit.
        assertThat(pgRunStore.load(WORKFLOW, run)).get()
                .extracting(RunState::computed)
                .isEqualTo(Map.of("invoice", invoice.getNumber(), "amountCents", 12_500));
        assertThat(pgRunStore.events(WORKFLOW, run))
                .extracting(StoredEvent::type, StoredEvent::payload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("invoice_recorded",
                        Map.of("invoice", invoice.getNumber())));
    }

    // --- (2) an application failure after the store's commit rolls both back -------------------------------------

    @Test
    void ejbRollsBackTheInvoiceAndTheStepWhenTheApplicationFailsAfterTheStoreCommit() {
        String run = newRunId();
        Invoice invoice = newInvoice();

        assertThatThrownBy(() -> ejb.recordCommitAndFail(invoice, createCommit(run, invoice)))
                .isInstanceOf(EJBException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("the application failed after the store's commit");

        assertNothingCommitted(run, invoice);
    }

    @Test
    void cdiTransactionalBeanRollsBackTheInvoiceAndTheStepWhenTheApplicationFailsAfterTheStoreCommit() {
        String run = newRunId();
        Invoice invoice = newInvoice();

        assertThatThrownBy(() -> cdi.recordCommitAndFail(invoice, createCommit(run, invoice)))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the application failed after the store's commit");

        assertNothingCommitted(run, invoice);
    }

    // --- (3) a store conflict rolls both back --------------------------------------------------------------------

    @Test
    void ejbCallerGetsTheStoreConflictUnwrappedAndNeitherWriteCommits() {
        rollsBackBothOnAStaleVersion(ejb);
    }

    @Test
    void cdiCallerGetsTheStoreConflictAndNeitherWriteCommits() {
        rollsBackBothOnAStaleVersion(cdi);
    }

    private void rollsBackBothOnAStaleVersion(InvoiceWorkflow workflow) {
        String run = newRunId();
        Invoice first = newInvoice();
        workflow.recordAndCommit(first, createCommit(run, first));
        workflow.recordAndCommit(newInvoice(), Commit.builder(WORKFLOW, run, "approve").expectedVersion(1).build());
        Invoice late = newInvoice();

        // A writer that still believes the run is at version 1.
        assertThatThrownBy(() -> workflow.recordAndCommit(late, Commit.builder(WORKFLOW, run, "approve-again")
                .expectedVersion(1)
                .event(AuditEvent.of("approved_again"))
                .build()))
                .isExactlyInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));

        assertThat(database.invoiceExists(late.getNumber())).isFalse();
        assertThat(database.runVersion(WORKFLOW, run)).hasValue(2);
        assertThat(database.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded").doesNotContain("approved_again");
    }

    @Test
    void ejbRollsBackTheInvoiceWhenTheApplicationSwallowsTheStoreConflictAndReturnsNormally() {
        rollsBackWhenTheConflictIsSwallowed(ejb);
    }

    @Test
    void cdiTransactionalBeanRollsBackTheInvoiceWhenTheApplicationSwallowsTheStoreConflictAndReturnsNormally() {
        rollsBackWhenTheConflictIsSwallowed(cdi);
    }

    private void rollsBackWhenTheConflictIsSwallowed(InvoiceWorkflow workflow) {
        String run = newRunId();
        Invoice first = newInvoice();
        workflow.recordAndCommit(first, createCommit(run, first));
        Invoice duplicate = newInvoice();

        // expectedVersion 0 on a run that exists: RUN_EXISTS, caught by the application, which returns normally.
        ConflictReason reason = workflow.recordAndCommitIgnoringConflicts(duplicate, createCommit(run, duplicate));

        assertThat(reason).isEqualTo(ConflictReason.RUN_EXISTS);
        assertThat(database.invoiceExists(duplicate.getNumber())).isFalse();
        assertThat(database.invoiceExists(first.getNumber())).isTrue();
        assertThat(database.runVersion(WORKFLOW, run)).hasValue(1);
        assertThat(database.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded");
    }

    // --- (4) the outbox, leased from another transaction ---------------------------------------------------------

    @Test
    void ejbDispatchesTheOutboxOfACommittedStepFromANewTransaction() {
        dispatchesTheOutboxFromANewTransaction(ejb, "ejb-dispatcher-" + UUID.randomUUID());
    }

    @Test
    void cdiTransactionalBeanDispatchesTheOutboxOfACommittedStepFromANewTransaction() {
        dispatchesTheOutboxFromANewTransaction(cdi, "cdi-dispatcher-" + UUID.randomUUID());
    }

    private void dispatchesTheOutboxFromANewTransaction(InvoiceWorkflow workflow, String owner) {
        String run = newRunId();
        Invoice invoice = newInvoice();
        Command verify = Command.invoke("verify", Map.of("invoice", invoice.getNumber()));
        Command notify = Command.emit("invoice.recorded", Map.of("invoice", invoice.getNumber()));
        workflow.recordAndCommit(invoice, Commit.builder(WORKFLOW, run, "record")
                .command(verify)
                .command(notify)
                .build());
        assertThat(database.outboxStatuses(WORKFLOW, run)).containsExactly("pending", "pending");

        List<OutboxEntry> dispatched = workflow.dispatchOutboxOf(WORKFLOW, run, owner);

        assertThat(dispatched).extracting(OutboxEntry::command).containsExactlyInAnyOrder(verify, notify);
        assertThat(dispatched).extracting(OutboxEntry::status).containsOnly(OutboxStatus.LEASED);
        assertThat(dispatched).extracting(OutboxEntry::dedupeKey).containsExactlyInAnyOrder(
                DedupeKeys.of(WORKFLOW, run, "record", verify), DedupeKeys.of(WORKFLOW, run, "record", notify));
        assertThat(database.outboxStatuses(WORKFLOW, run)).containsExactly("dispatched", "dispatched");
        assertThat(workflow.dispatchOutboxOf(WORKFLOW, run, owner)).isEmpty();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private void assertNothingCommitted(String run, Invoice invoice) {
        assertThat(database.invoiceExists(invoice.getNumber())).isFalse();
        assertThat(database.runVersion(WORKFLOW, run)).isEmpty();
        assertThat(database.eventTypes(WORKFLOW, run)).isEmpty();
        assertThat(pgRunStore.load(WORKFLOW, run)).isEmpty();
    }

    private static Commit createCommit(String run, Invoice invoice) {
        return Commit.builder(WORKFLOW, run, "record")
                .output(Map.of("invoice", invoice.getNumber()))
                .event(AuditEvent.of("invoice_recorded"))
                .build();
    }

    private static String newRunId() {
        return "run-" + UUID.randomUUID();
    }

    private static Invoice newInvoice() {
        return new Invoice("INV-" + UUID.randomUUID(), "ACME", 12_500);
    }
}
