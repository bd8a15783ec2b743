package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.RunState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A commit repeated with its commit id, as after a lost connection: found by the id, never written twice. */
@StoreContract
class CommitIdTest extends StoreTest {

    @Test
    void repeatedCreateWritesNothingAndReturnsTheFirstResult() {
        Commit create = Commit.builder("wf", "r", "extract").commitId("extract-1")
                .output(Map.of("claims", List.of("a")))
                .event(AuditEvent.of("extracted", Map.of("n", 1)))
                .command(Command.invoke("verify", Map.of("claim", "a")))
                .command(Command.emit("extracted", Map.of("n", 1)))
                .build();
        committedThenRepeated(create);

        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=2, blocks=0");
        assertThat(tables.all("verist_commits")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("commit_id", "extract-1").containsEntry("step_id", "extract")
                    .containsEntry("expected_version", 0).containsEntry("version", 1);
        });
    }

    @Test
    void repeatedUpdateWithEventsAndCommandsWritesNothingAndReturnsTheFirstResult() {
        store.commit(Commit.builder("wf", "r", "extract").output(Map.of("a", 1)).build());
        Commit update = Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("verify-attempt-7")
                .output(Map.of("b", 2))
                .event(AuditEvent.of("verified"))
                .event(AuditEvent.of("scored", Map.of("score", 0.9)))
                .command(Command.invoke("pay", Map.of("amount", 10)))
                .build();
        RunState again = committedThenRepeated(update);

        assertThat(again.version()).isEqualTo(2);
        assertThat(tables.counts()).isEqualTo("state=1, events=2, outbox=1, blocks=0");
    }

    @Test
    void repeatedReviewGateIsNotAnActiveBlockConflictAndWritesNoSecondBlockNorDeferredCommand() {
        store.commit(Commit.builder("wf", "r", "extract").output(Map.of("a", 1)).build());
        Commit gate = Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("verify-1")
                .output(Map.of("score", 0.4))
                .command(Command.review("score below 0.8", Map.of("score", 0.4)))
                .command(Command.invoke("pay", Map.of("amount", 10)))
                .build();
        committedThenRepeated(gate);

        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=1, blocks=1");
        assertThat(tables.all("verist_outbox")).singleElement().satisfies(row ->
                assertThat(row).containsEntry("status", "deferred"));
    }

    @Test
    void repeatedSuspendWritesNoSecondBlock() {
        Commit suspend = Commit.builder("wf", "r", "ask").commitId("ask-1").output(Map.of("q", "?"))
                .command(Command.suspend("waiting for the customer", Map.of("page", 1)))
                .build();
        committedThenRepeated(suspend);

        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=1");
    }

    @Test
    void repeatAfterALaterCommitReturnsTheVersionThatCommitProducedWithTheCurrentState() {
        Commit create = Commit.builder("wf", "r", "extract").commitId("c1").output(Map.of("a", 1)).build();
        store.commit(create);
        RunState later = store.commit(Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("c2")
                .output(Map.of("b", 2)).build());
        var before = tables.snapshot();

        RunState again = store.commit(create);

        assertThat(again.version()).isEqualTo(1);
        assertThat(again.computed()).isEqualTo(later.computed());
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void sameCommitIdWithAnotherStepOrExpectedVersionIsInvalidAndWritesNothing() {
        store.commit(Commit.builder("wf", "r", "extract").output(Map.of("a", 1)).build());
        store.commit(Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("x").output(Map.of("b", 2)).build());

        assertInvalidWritingNothing(() -> store.commit(Commit.builder("wf", "r", "score").expectedVersion(2)
                .commitId("x").output(Map.of("c", 3)).build()), "commitId");
        assertInvalidWritingNothing(() -> store.commit(Commit.builder("wf", "r", "verify").expectedVersion(2)
                .commitId("x").output(Map.of("c", 3)).build()), "commitId");
        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "score").expectedVersion(2)
                .commitId("x").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'x' already landed on run wf/r", "step 'verify' at expectedVersion 1");
    }

    @Test
    void replayComparesOnlyStepAndExpectedVersionNotOutputEventsOrCommands() {
        Commit first = Commit.builder("wf", "r", "extract").commitId("c").output(Map.of("a", 1)).build();
        RunState landed = store.commit(first);
        var before = tables.snapshot();

        RunState again = store.commit(Commit.builder("wf", "r", "extract").commitId("c").output(Map.of("a", 99))
                .event(AuditEvent.of("different")).command(Command.invoke("other", null)).build());

        assertThat(again).isEqualTo(landed);
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void aCommitIdIsUniquePerRunSoAnotherRunMayUseTheSameId() {
        store.commit(Commit.builder("wf", "r1", "extract").commitId("extract").output(Map.of("a", 1)).build());
        RunState other = store.commit(Commit.builder("wf", "r2", "extract").commitId("extract")
                .output(Map.of("a", 2)).build());

        assertThat(other.computed()).containsEntry("a", 2);
        assertThat(tables.count("verist_state")).isEqualTo(2);
        assertThat(tables.all("verist_commits")).hasSize(2);
    }

    @Test
    void aCommitThatConflictsRecordsNoIdSoItsRepeatConflictsAgain() {
        store.commit(Commit.builder("wf", "r", "extract").output(Map.of("a", 1)).build());
        store.commit(Commit.builder("wf", "r", "other").expectedVersion(1).output(Map.of("a", 2)).build());
        Commit stale = Commit.builder("wf", "r", "verify").expectedVersion(1).commitId("v").output(Map.of("b", 1))
                .command(Command.invoke("pay", null)).build();

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> store.commit(stale)).isInstanceOfSatisfying(ConflictException.class,
                    e -> assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));
        }
        assertThat(tables.all("verist_commits")).isEmpty();
    }

    @Test
    void aCommitRolledBackByACommandConflictRecordsNoId() {
        store.commit(Commit.builder("wf", "r", "s").command(Command.invoke("pay", Map.of("n", 1))).build());
        Commit duplicate = Commit.builder("wf", "r", "s").expectedVersion(1).commitId("again")
                .command(Command.invoke("pay", Map.of("n", 1))).build();
        var before = tables.snapshot();

        assertThatThrownBy(() -> store.commit(duplicate)).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.reason()).isEqualTo(ConflictReason.COMMAND_EXISTS));
        assertThat(tables.snapshot()).isEqualTo(before);
    }

    @Test
    void aRepeatedCreateWithoutItsIdIsStillRunExists() {
        store.commit(Commit.builder("wf", "r", "extract").commitId("c").output(Map.of("a", 1)).build());

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "extract").output(Map.of("a", 1)).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));
    }

    @Test
    void badCommitIdsAreInvalidAndWriteNothing() {
        for (String bad : new String[] {"", "  ", "a\u0000b", "x".repeat(Commit.MAX_COMMIT_ID_LENGTH + 1)}) {
            assertInvalidWritingNothing(() -> store.commit(Commit.builder("wf", "r", "s").commitId(bad).build()),
                    "commitId");
        }
        String longest = "x".repeat(Commit.MAX_COMMIT_ID_LENGTH);
        assertThat(store.commit(Commit.builder("wf", "r", "s").commitId(longest).build()).version()).isEqualTo(1);
        assertThat(tables.all("verist_commits")).singleElement().satisfies(row ->
                assertThat(row).containsEntry("commit_id", longest));
    }

    // Commits `commit`, then repeats it: the repeat returns the first result and writes nothing, in any table.
    private RunState committedThenRepeated(Commit commit) {
        RunState first = store.commit(commit);
        var before = tables.snapshot();

        RunState again = store.commit(commit);

        assertThat(again).isEqualTo(first);
        assertThat(tables.snapshot()).isEqualTo(before);
        return again;
    }
}
