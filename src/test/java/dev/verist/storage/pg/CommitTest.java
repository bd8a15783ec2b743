package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Command;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.NotFoundException;
import dev.verist.storage.RunState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@StoreContract
class CommitTest extends StoreTest {

    @Test
    void createWritesVersionOneWithOutputAsComputedAndEmptyOverlay() {
        RunState state = store.commit(Commit.builder("wf", "run-1", "extract")
                .output(Map.of("claims", List.of("a", "b"), "score", 0.8))
                .event(AuditEvent.of("extracted", Map.of("count", 2)))
                .build());

        assertThat(state.version()).isEqualTo(1);
        assertThat(state.computed()).isEqualTo(Map.of("claims", List.of("a", "b"), "score", 0.8));
        assertThat(state.overlay()).isEmpty();
        assertThat(state.createdAt()).isEqualTo(state.updatedAt());
        assertThat(store.load("wf", "run-1")).contains(state);
        assertThat(tables.count("verist_events")).isEqualTo(1);
    }

    @Test
    void updateMergesShallowlyAndIncrementsVersion() {
        store.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1, "nested", Map.of("x", 1, "y", 2))).build());
        RunState updated = store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1)
                .output(Map.of("nested", Map.of("x", 5), "b", "two")).build());

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.computed()).isEqualTo(Map.of("a", 1, "nested", Map.of("x", 5), "b", "two"));
    }

    @Test
    void commitWithStaleVersionIsVersionMismatchAndWritesNothing() {
        store.commit(Commit.builder("wf", "r", "s1").output(Map.of("a", 1)).build());
        store.commit(Commit.builder("wf", "r", "s2").expectedVersion(1).output(Map.of("a", 2)).build());

        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s3").expectedVersion(1)
                .output(Map.of("a", 3)).event(AuditEvent.of("late")).command(Command.invoke("next", null)).build()))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH);
                    assertThat(e.getMessage()).contains("wf/r", "expected version 1", "got 2");
                });
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void updateOfMissingRunIsNotFound() {
        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "missing", "s").expectedVersion(3).build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("wf/missing");
    }

    @Test
    void createOfExistingRunIsRunExists() {
        store.commit(Commit.builder("wf", "r", "s1").build());
        assertThatThrownBy(() -> store.commit(Commit.builder("wf", "r", "s1").event(AuditEvent.of("x")).build()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.RUN_EXISTS));
        assertThat(tables.counts()).isEqualTo("state=1, events=0, outbox=0, blocks=0");
    }

    @Test
    void reviewDefersSiblingsAndResolveApproveReleasesThem() {
        store.commit(Commit.builder("wf", "r", "s1")
                .command(Command.review("check it", Map.of("doc", 1)))
                .command(Command.invoke("next", Map.of("k", "v")))
                .build());
        assertThat(store.getBlock("wf", "r")).hasValueSatisfying(b -> {
            assertThat(b.type()).isEqualTo(BlockType.REVIEW);
            assertThat(b.payload()).isEqualTo(Map.of("doc", 1));
        });
        assertThat(store.leaseOutbox("d", 10)).isEmpty();

        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isPresent();
        List<OutboxEntry> leased = store.leaseOutbox("d", 10);
        assertThat(leased).singleElement().satisfies(e -> {
            assertThat(e.command()).isEqualTo(Command.invoke("next", Map.of("k", "v")));
            assertThat(e.status()).isEqualTo(OutboxStatus.LEASED);
        });
        store.markDispatched(leased.get(0).id(), "d");
        assertThat(store.resolveBlock("wf", "r", Resolution.approve())).isEmpty();
    }
}
