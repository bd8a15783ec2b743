package dev.verist.storage.pg.interplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.DedupeKeys;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunState;
import dev.verist.storage.RunStore;
import dev.verist.storage.StoredEvent;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.BlockType;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.OutboxStatus;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.Resolution;
import dev.verist.storage.pg.cdi.ContainerPgRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store as a CDI bean inside the application's JTA transaction: the application's write and the store's
 * commit are visible together after the commit, neither after an application failure or a store conflict, even
 * when the application swallows the conflict; without a caller transaction each store call commits on its own.
 *
 * <p>Each environment (Weld SE, WildFly, Payara) extends this class once per way of choosing the persistence
 * unit, injects the store (the tests' {@code @Inject} fields) and names its {@link #entryPoints()} (the CDI
 * {@code @Transactional} bean everywhere, the stateless EJB in servers); every scenario that goes through the
 * application runs once per entry point, and a failure names the entry point it happened through. Visibility is
 * checked with {@link CommittedRows}, outside any transaction. The tables are emptied before each test and before
 * each entry point, so the counts cover everything the scenario wrote; ids are new all the same.
 */
public abstract class TransactionInterplayContract {

    /** The workflow id of every run the contract writes. */
    protected static final String WORKFLOW = "invoice-approval";

    @Inject
    private RunStore runStore;

    @Inject
    private PgRunStore pgRunStore;

    @Inject
    private BeanManager beanManager;

    private CommittedRows rows;

    /** The ways into the application's transaction this environment offers, each a workflow bean. */
    protected abstract List<EntryPoint> entryPoints();

    /** Reads what is committed in the schema this environment's store works in; the contract empties it. */
    protected abstract CommittedRows committedRows();

    @BeforeEach
    final void startFromEmptyTables() {
        rows = committedRows();
        rows.clear();
    }

    // --- commit together -------------------------------------------------------------------------------------

    @Test
    public final void applicationWriteAndStepCommitAreVisibleTogetherAfterTheTransactionCommits() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice invoice = newInvoice();

            RunState state = entry.workflow().recordAndCommit(invoice, recordStep(run, invoice));

            assertThat(state.version()).isEqualTo(1);
            assertThat(state.computed()).containsEntry("approved", true);
            assertThat(rows.invoiceExists(invoice.getNumber())).isTrue();
            assertThat(rows.invoiceCount()).isEqualTo(1);
            assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
            assertThat(rows.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded");
            assertThat(rows.outboxStatuses(WORKFLOW, run)).containsExactly("pending");
            assertThat(rows.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
            // Read back through the store: state and events are read as entities of the store's unit.
            assertThat(pgRunStore.load(WORKFLOW, run)).get()
                    .extracting(RunState::computed)
                    .isEqualTo(recordOutput(invoice));
            assertThat(pgRunStore.events(WORKFLOW, run))
                    .extracting(StoredEvent::type, StoredEvent::payload)
                    .containsExactly(tuple("invoice_recorded", Map.of("invoice", invoice.getNumber())));
        });
    }

    // --- an application failure rolls both back -------------------------------------------------------------

    @Test
    public final void applicationFailureAfterTheStoresCommitRollsBackBoth() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice invoice = newInvoice();
            IllegalStateException failure = new IllegalStateException("the application failed after the store's commit");

            Throwable thrown = catchThrowable(
                    () -> entry.workflow().recordCommitAndFail(invoice, recordStep(run, invoice), failure));

            entry.assertDeliversApplicationFailure(thrown, failure);
            assertThat(rows.invoiceExists(invoice.getNumber())).isFalse();
            assertThat(rows.invoiceCount()).isZero();
            assertThat(rows.runVersion(WORKFLOW, run)).isEmpty();
            assertThat(rows.eventTypes(WORKFLOW, run)).isEmpty();
            assertThat(rows.counts()).isEqualTo("state=0, events=0, outbox=0, blocks=0");
            assertThat(pgRunStore.load(WORKFLOW, run)).isEmpty();
        });
    }

    @Test
    public final void applicationFailureAfterAStepWithoutCommandsRollsThatStepBackToo() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            runStore.commit(recordStep(run, newInvoice()));
            // One statement, no commands: it must join the caller's transaction, not commit on its own.
            Commit plainStep = Commit.builder(WORKFLOW, run, "check").expectedVersion(1)
                    .output(Map.of("ok", true)).build();
            IllegalStateException failure = new IllegalStateException("the application failed after the store's work");

            Throwable thrown = catchThrowable(
                    () -> entry.workflow().recordRunAndFail(newInvoice(), () -> runStore.commit(plainStep), failure));

            entry.assertDeliversApplicationFailure(thrown, failure);
            assertThat(rows.invoiceCount()).isZero();
            assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
            assertThat(pgRunStore.load(WORKFLOW, run)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(1));
        });
    }

    @Test
    public final void applicationFailureAfterFinalisingABatchLeavesItsEntriesLeased() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            runStore.commit(recordStep(run, newInvoice()));
            List<String> ids = pgRunStore.leaseOutbox("dispatcher", 10).stream().map(OutboxEntry::id).toList();
            IllegalStateException failure = new IllegalStateException("the application failed after the batch");

            // The batch is one all-or-nothing statement: it must join the caller's transaction too.
            Throwable thrown = catchThrowable(() -> entry.workflow().recordRunAndFail(newInvoice(),
                    () -> pgRunStore.markDispatched(ids, "dispatcher"), failure));

            entry.assertDeliversApplicationFailure(thrown, failure);
            assertThat(rows.invoiceCount()).isZero();
            assertThat(rows.outboxStatuses()).containsExactly("leased");
            pgRunStore.markDispatched(ids, "dispatcher");
            assertThat(rows.outboxStatuses()).containsExactly("dispatched");
        });
    }

    // --- a store conflict rolls both back --------------------------------------------------------------------

    @Test
    public final void staleVersionConflictReachesTheCallerItselfAndRollsBackTheApplicationsWrite() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice first = newInvoice();
            Invoice second = newInvoice();
            entry.workflow().recordAndCommit(first, recordStep(run, first));
            entry.workflow().recordAndCommit(second, Commit.builder(WORKFLOW, run, "review").expectedVersion(1)
                    .output(Map.of("reviewed", true)).event(AuditEvent.of("reviewed")).build());

            // Writers that believe the run is at version 1 (behind) and at version 7 (ahead); the run is at 2.
            for (int believed : new int[] {1, 7}) {
                Invoice late = newInvoice();
                Commit stale = Commit.builder(WORKFLOW, run, "pay").expectedVersion(believed)
                        .output(Map.of("paid", true)).event(AuditEvent.of("paid")).build();

                assertThatThrownBy(() -> entry.workflow().recordAndCommit(late, stale))
                        .as("a commit expecting version %d", believed)
                        .isExactlyInstanceOf(ConflictException.class)
                        .hasMessageContaining(WORKFLOW + "/" + run)
                        .satisfies(e -> assertThat(((ConflictException) e).reason())
                                .isEqualTo(ConflictReason.VERSION_MISMATCH));
                assertThat(rows.invoiceExists(late.getNumber())).isFalse();
            }

            assertThat(rows.invoiceExists(first.getNumber())).isTrue();
            assertThat(rows.invoiceExists(second.getNumber())).isTrue();
            assertThat(rows.invoiceCount()).isEqualTo(2);
            assertThat(rows.runVersion(WORKFLOW, run)).hasValue(2);
            assertThat(rows.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded", "reviewed")
                    .doesNotContain("paid");
            assertThat(rows.counts()).isEqualTo("state=1, events=2, outbox=1, blocks=0");
        });
    }

    @Test
    public final void creatingARunThatExistsRollsBackTheApplicationsWrite() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice earlier = newInvoice();
            runStore.commit(recordStep(run, earlier));
            Invoice invoice = newInvoice();

            assertThatThrownBy(() -> entry.workflow().recordAndCommit(invoice, recordStep(run, invoice)))
                    .isExactlyInstanceOf(ConflictException.class)
                    .isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));

            assertThat(rows.invoiceCount()).isZero();
            assertThat(rows.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
            assertThat(pgRunStore.load(WORKFLOW, run)).get()
                    .extracting(RunState::computed)
                    .isEqualTo(recordOutput(earlier));
        });
    }

    @Test
    public final void swallowedStoreConflictStillRollsBackTheApplicationsWrite() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice first = newInvoice();
            entry.workflow().recordAndCommit(first, recordStep(run, first));
            Invoice duplicate = newInvoice();
            AtomicReference<SwallowedConflict> swallowed = new AtomicReference<>();

            // Creating the run again: RUN_EXISTS, caught by the application, which returns normally. The container
            // rolls the rollback-only transaction back at the end of the method without telling the caller.
            assertThatCode(() -> swallowed.set(entry.workflow()
                    .recordAndCommitIgnoringConflicts(duplicate, recordStep(run, duplicate))))
                    .doesNotThrowAnyException();

            assertThat(swallowed.get()).as("the conflict the application caught").isNotNull();
            assertThat(swallowed.get().conflict().reason()).isEqualTo(ConflictReason.RUN_EXISTS);
            assertThat(swallowed.get().transactionStatus()).as("the transaction's status after the conflict")
                    .isEqualTo(Status.STATUS_MARKED_ROLLBACK);
            assertThat(swallowed.get().rollbackOnly()).as("the conflict marked the caller's transaction rollback-only")
                    .isTrue();
            assertThat(rows.invoiceExists(duplicate.getNumber())).isFalse();
            assertThat(rows.invoiceExists(first.getNumber())).isTrue();
            assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
            assertThat(rows.eventTypes(WORKFLOW, run)).containsExactly("invoice_recorded");
            assertThat(rows.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
            assertThat(runStore.load(WORKFLOW, run)).get()
                    .extracting(RunState::computed)
                    .isEqualTo(recordOutput(first));
        });
    }

    @Test
    public final void conflictFoundAfterTheStoresOwnWritesRollsThemBackToo() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            runStore.commit(Commit.builder(WORKFLOW, run, "review").command(Command.review("check")).build());
            // The store updates the state row, then finds the run's active block: ACTIVE_BLOCK after its own write.
            Commit secondBlock = Commit.builder(WORKFLOW, run, "again").expectedVersion(1)
                    .output(Map.of("late", true)).command(Command.review("again")).build();

            assertThatThrownBy(() -> entry.workflow().recordAndCommit(newInvoice(), secondBlock))
                    .isExactlyInstanceOf(ConflictException.class)
                    .isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.reason()).isEqualTo(ConflictReason.ACTIVE_BLOCK));

            assertThat(rows.invoiceCount()).isZero();
            assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
            assertThat(pgRunStore.load(WORKFLOW, run)).hasValueSatisfying(s -> {
                assertThat(s.version()).isEqualTo(1);
                assertThat(s.computed()).doesNotContainKey("late");
            });
            assertThat(rows.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=1");
        });
    }

    // --- the outbox, after the step committed -----------------------------------------------------------------

    @Test
    public final void outboxOfACommittedStepIsDispatchedFromANewTransaction() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Invoice invoice = newInvoice();
            String owner = "dispatcher-" + UUID.randomUUID();
            Command verify = Command.invoke("verify", Map.of("invoice", invoice.getNumber()));
            Command notify = Command.emit("invoice.recorded", Map.of("invoice", invoice.getNumber()));
            entry.workflow().recordAndCommit(invoice, Commit.builder(WORKFLOW, run, "record")
                    .command(verify)
                    .command(notify)
                    .build());
            assertThat(rows.outboxStatuses(WORKFLOW, run)).containsExactly("pending", "pending");

            List<OutboxEntry> dispatched = entry.workflow().dispatchOutboxOf(WORKFLOW, run, owner);

            assertThat(dispatched).extracting(OutboxEntry::command).containsExactlyInAnyOrder(verify, notify);
            assertThat(dispatched).extracting(OutboxEntry::status).containsOnly(OutboxStatus.LEASED);
            assertThat(dispatched).extracting(OutboxEntry::dedupeKey).containsExactlyInAnyOrder(
                    DedupeKeys.of(WORKFLOW, run, "record", verify), DedupeKeys.of(WORKFLOW, run, "record", notify));
            assertThat(rows.outboxStatuses(WORKFLOW, run)).containsExactly("dispatched", "dispatched");
            assertThat(entry.workflow().dispatchOutboxOf(WORKFLOW, run, owner)).isEmpty();
        });
    }

    @Test
    public final void outboxLeasedWithoutACallerTransactionSeesTheCommittedCommands() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            Command notify = Command.invoke("notify-customer", Map.of("invoice", run));
            Command emit = Command.emit("invoice.approved", Map.of("invoice", run, "amountCents", 12_300));
            entry.workflow().recordAndCommit(newInvoice(), Commit.builder(WORKFLOW, run, "approve")
                    .output(Map.of("approved", true)).command(notify).command(emit).build());

            List<OutboxEntry> leased = pgRunStore.leaseOutbox("dispatcher", 100).stream()
                    .filter(e -> e.runId().equals(run))
                    .toList();

            assertThat(leased).extracting(OutboxEntry::command).containsExactlyInAnyOrder(notify, emit);
            assertThat(leased).allSatisfy(e -> assertThat(e.status()).isEqualTo(OutboxStatus.LEASED));
            assertThat(leased).allSatisfy(e -> assertThat(rows.outboxStatus(e.id())).isEqualTo("leased"));
            OutboxEntry first = leased.get(0);
            pgRunStore.markDispatched(first.id(), "dispatcher");
            assertThat(rows.outboxStatus(first.id())).isEqualTo("dispatched");
            assertThat(runStore.load(WORKFLOW, run)).get().satisfies(s -> assertThat(s.version()).isEqualTo(1));
        });
    }

    // --- the store's reads, after the application's commit ---------------------------------------------------

    @Test
    public final void eventsAndReviewGateAreReadBackThroughTheMappedEntities() {
        throughEachEntryPoint(entry -> {
            String run = newRunId();
            entry.workflow().recordAndCommit(newInvoice(), Commit.builder(WORKFLOW, run, "approve")
                    .output(Map.of("approved", true))
                    .event(AuditEvent.of("approved", Map.of("by", "it")))
                    .build());
            Command notify = Command.invoke("notify-customer", Map.of("invoice", run));
            runStore.commit(Commit.builder(WORKFLOW, run, "check").expectedVersion(1)
                    .output(Map.of("score", 0.8))
                    .event(AuditEvent.of("checked", Map.of("score", 0.8, "flags", List.of("amount"))))
                    .command(Command.review("amount above limit", Map.of("limit", 10000)))
                    .command(notify)
                    .build());

            // JPQL over the verist entities (EventEntity, BlockEntity) with their jsonb columns.
            List<StoredEvent> events = runStore.events(WORKFLOW, run);
            assertThat(events).extracting(StoredEvent::type).containsExactly("approved", "checked");
            assertThat(events.get(0).payload()).isEqualTo(Map.of("by", "it"));
            assertThat(events.get(1).payload()).isEqualTo(Map.of("score", 0.8, "flags", List.of("amount")));

            Block block = pgRunStore.getBlock(WORKFLOW, run).orElseThrow();
            assertThat(block.type()).isEqualTo(BlockType.REVIEW);
            assertThat(block.reason()).isEqualTo("amount above limit");
            assertThat(block.payload()).isEqualTo(Map.of("limit", 10000));
            assertThat(rows.outboxStatuses(WORKFLOW, run)).hasSize(1);

            assertThat(pgRunStore.resolveBlock(WORKFLOW, run, Resolution.approve())).get()
                    .satisfies(resolved -> assertThat(resolved.id()).isEqualTo(block.id()));
            assertThat(pgRunStore.getBlock(WORKFLOW, run)).isEmpty();
            assertThat(pgRunStore.resolveBlock(WORKFLOW, run, Resolution.approve())).isEmpty();
        });
    }

    // --- without the application ------------------------------------------------------------------------------

    @Test
    public final void callsWithoutACallerTransactionCommitOnTheirOwn() {
        String run = newRunId();

        runStore.commit(recordStep(run, newInvoice()));

        assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
        assertThatThrownBy(() -> runStore.commit(Commit.builder(WORKFLOW, run, "s").expectedVersion(7).build()))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> runStore.commit(Commit.builder(WORKFLOW, " ", "s").build()))
                .isInstanceOf(InvalidRequestException.class);
        List<OutboxEntry> leased = pgRunStore.leaseOutbox("dispatcher", 10);
        assertThat(leased).singleElement().satisfies(e -> pgRunStore.markDispatched(e.id(), "dispatcher"));
        assertThat(rows.outboxStatuses()).containsExactly("dispatched");
        assertThat(rows.counts()).isEqualTo("state=1, events=1, outbox=1, blocks=0");
    }

    @Test
    public final void runStoreAndPgRunStoreResolveToOneApplicationScopedBeanAndShareItsData() {
        Bean<?> asRunStore = beanManager.resolve(beanManager.getBeans(RunStore.class));
        Bean<?> asPgRunStore = beanManager.resolve(beanManager.getBeans(PgRunStore.class));

        assertThat(beanManager.getBeans(RunStore.class)).as("the beans of type RunStore").singleElement()
                .isSameAs(asRunStore);
        assertThat(beanManager.getBeans(PgRunStore.class)).as("the beans of type PgRunStore").singleElement()
                .isSameAs(asPgRunStore);
        assertThat(asRunStore).as("the bean behind @Inject RunStore and @Inject PgRunStore").isSameAs(asPgRunStore);
        assertThat(asRunStore.getBeanClass()).isEqualTo(ContainerPgRunStore.class);
        // One bean of application scope: one instance behind both injection points.
        assertThat(asRunStore.getScope()).isEqualTo(ApplicationScoped.class);
        assertThat(runStore).isNotNull().isInstanceOf(PgRunStore.class);
        assertThat(pgRunStore).isNotNull();

        String run = newRunId();
        RunState created = pgRunStore.commit(Commit.builder(WORKFLOW, run, "create")
                .output(Map.of("via", "PgRunStore"))
                .build());
        assertThat(created.version()).isEqualTo(1);
        assertThat(rows.runVersion(WORKFLOW, run)).hasValue(1);
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

    // --- helpers ----------------------------------------------------------------------------------------------

    /**
     * Runs {@code scenario} once per entry point, on empty tables each time. Every entry point runs even when an
     * earlier one fails; the error thrown names the first that failed and carries the others as suppressed.
     */
    protected final void throughEachEntryPoint(Consumer<EntryPoint> scenario) {
        List<EntryPoint> entryPoints = entryPoints();
        assertThat(entryPoints).as("the entry points of this environment").isNotEmpty();
        List<AssertionError> failures = new ArrayList<>();
        for (EntryPoint entry : entryPoints) {
            rows.clear();
            try {
                scenario.accept(entry);
            } catch (AssertionError | RuntimeException e) {
                failures.add(new AssertionError("Through the " + entry + ": " + e.getMessage(), e));
            }
        }
        if (!failures.isEmpty()) {
            AssertionError first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Records the invoice as a new run: one event, one command. */
    private static Commit recordStep(String run, Invoice invoice) {
        return Commit.builder(WORKFLOW, run, "record")
                .output(recordOutput(invoice))
                .event(AuditEvent.of("invoice_recorded", Map.of("invoice", invoice.getNumber())))
                .command(Command.invoke("pay", Map.of("invoice", invoice.getNumber())))
                .build();
    }

    private static Map<String, Object> recordOutput(Invoice invoice) {
        return Map.of("invoice", invoice.getNumber(), "amountCents", 12_500, "approved", true);
    }

    private static String newRunId() {
        return "run-" + UUID.randomUUID();
    }

    private static Invoice newInvoice() {
        return new Invoice("INV-" + UUID.randomUUID(), "ACME", 12_500);
    }
}
