package dev.verist.examples.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.LlmTrace;
import dev.verist.storage.RunState;
import dev.verist.storage.pg.Block;
import dev.verist.storage.pg.OutboxEntry;
import dev.verist.storage.pg.PgRunStore;
import dev.verist.storage.pg.Resolution;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Walks one document-verification run through its whole life and prints each stage. */
public final class Quickstart {

    private static final Logger HIBERNATE_LOG = Logger.getLogger("org.hibernate");
    private static final String WORKFLOW = "verify-document";
    private static final String RUN = "run-123";
    private static final String DISPATCHER = "dispatcher-1";

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        HIBERNATE_LOG.setLevel(Level.WARNING);
        try (HikariDataSource pool = Database.pool()) {
            say("schema", "verist tables ready and emptied in schema " + Database.SCHEMA
                    + " (the only schema this example touches)");
            try (PgRunStore store = PgRunStore.create(pool)) {
                walkOneRun(store);
            }
        }
    }

    private static void walkOneRun(PgRunStore store) {
        RunState state = store.commit(Commit.builder(WORKFLOW, RUN, "extract")
                .output(Map.of("documentId", "doc-7", "claims", List.of("supplier is certified", "invoice total is 1200")))
                .event(AuditEvent.of("extraction_completed", Map.of("count", 2)))
                .build());
        say("create", "run " + RUN + " at version " + state.version() + ", computed " + state.computed());

        LlmTrace trace = new LlmTrace("gpt-4o", 812, 64, 930.5, "sha256:1f0c", "sha256:9ab2", null, null);
        state = store.commit(Commit.builder(WORKFLOW, RUN, "verify").expectedVersion(state.version())
                .output(Map.of("score", 0.62, "status", "needs-review"))
                .event(AuditEvent.of("verification_completed", Map.of("score", 0.62)).withLlmTrace(trace))
                .build());
        say("update", "version " + state.version() + ", score " + state.computed().get("score")
                + ", LLM trace stored hash-only");

        try {
            store.commit(Commit.builder(WORKFLOW, RUN, "verify").expectedVersion(1).output(Map.of("score", 0.9)).build());
        } catch (ConflictException e) {
            say("conflict", "a stale writer is refused: " + e.reason().wireName() + " (" + e.getMessage() + ")");
        }

        state = store.setOverlay(WORKFLOW, RUN, Map.of("status", "verified-by-human"));
        say("overlay", "human correction on top: effective status " + state.effective().get("status")
                + ", computed status " + state.computed().get("status") + ", version still " + state.version());

        state = store.commit(Commit.builder(WORKFLOW, RUN, "decide").expectedVersion(state.version())
                .output(Map.of("decision", "pay"))
                .command(Command.review("payment above 1000 needs a second look", Map.of("amount", 1200)))
                .command(Command.invoke("pay-invoice", Map.of("amount", 1200)))
                .command(Command.emit("invoice.approved", Map.of("documentId", "doc-7")))
                .build());
        Block review = store.getBlock(WORKFLOW, RUN).orElseThrow();
        say("review", "run blocked by " + review.type().wireName() + " '" + review.reason() + "'; "
                + store.leaseOutbox(DISPATCHER, 10).size() + " commands leasable while deferred");

        store.resolveBlock(WORKFLOW, RUN, Resolution.approve());
        say("approve", "review approved, deferred commands released");
        dispatchAll(store);

        state = store.commit(Commit.builder(WORKFLOW, RUN, "await-payment").expectedVersion(state.version())
                .command(Command.suspend("waiting for the bank's confirmation", Map.of("invoice", "doc-7"), "confirm-payment"))
                .build());
        Block suspend = store.getBlock(WORKFLOW, RUN).orElseThrow();
        say("suspend", "run suspended (block " + suspend.id() + "), checkpoint " + suspend.payload());

        store.resolveBlock(WORKFLOW, RUN, Resolution.resume(Map.of("confirmation", "BANK-42")));
        say("resume", "resumed with outside data; a resume command was enqueued");
        dispatchAll(store);

        say("audit", store.events(WORKFLOW, RUN).size() + " events in the trail, run at version "
                + store.load(WORKFLOW, RUN).orElseThrow().version());
    }

    private static void dispatchAll(PgRunStore store) {
        for (OutboxEntry entry : store.leaseOutbox(DISPATCHER, 10)) {
            store.markDispatched(entry.id(), DISPATCHER);
            say("dispatch", entry.command().type() + " " + describe(entry.command()) + " from step "
                    + entry.stepId() + " (dedupe key " + entry.dedupeKey().substring(0, 12) + "…)");
        }
    }

    private static String describe(Command command) {
        if (command instanceof Command.Invoke invoke) {
            return invoke.step() + " " + invoke.input();
        }
        if (command instanceof Command.Emit emit) {
            return emit.topic() + " " + emit.payload();
        }
        return command.toString();
    }

    private static void say(String stage, String what) {
        System.out.printf("%-9s %s%n", stage, what);
    }
}
