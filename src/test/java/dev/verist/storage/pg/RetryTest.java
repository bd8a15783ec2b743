package dev.verist.storage.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verist.storage.AuditEvent;
import dev.verist.storage.Commit;
import dev.verist.storage.ConflictException;
import dev.verist.storage.ConflictReason;
import dev.verist.storage.InvalidRequestException;
import dev.verist.storage.Retry;
import dev.verist.storage.RunState;
import dev.verist.storage.RunStore;
import dev.verist.storage.StorageException;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Retry#commit} over the real store, its connection failures made by a store that loses answers. */
class RetryTest extends StoreTest {

    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void countFromZero() {
        calls.set(0);
    }

    @Test
    void aCommitWhoseAnswerWasLostIsAnsweredWithItsResultAndWrittenOnce() {
        store.commit(Commit.builder("wf", "r", "create").output(Map.of("a", 1)).build());
        RunStore losingTwoAnswers = losingAnswers(2, true);

        RunState state = Retry.commit(losingTwoAnswers, Commit.builder("wf", "r", "verify").expectedVersion(1)
                .commitId("verify-1").output(Map.of("b", 2)).event(AuditEvent.of("verified")).build(), 5, Duration.ZERO);

        assertThat(calls).hasValue(3);
        assertThat(state.version()).isEqualTo(2);
        assertThat(tables.counts()).isEqualTo("state=1, events=1, outbox=0, blocks=0");
        assertThat(store.load("wf", "r")).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(2));
    }

    @Test
    void aCommitWithoutAnIdGetsOneIdForAllItsAttempts() {
        RunState state = Retry.commit(losingAnswers(1, true), Commit.builder("wf", "r", "create")
                .output(Map.of("a", 1)).build(), 3, Duration.ZERO);

        assertThat(state.version()).isEqualTo(1);
        assertThat(calls).hasValue(2);
        assertThat(tables.all("verist_commits")).singleElement().satisfies(row ->
                assertThat((String) row.get("commit_id")).matches("[0-9a-f-]{36}"));
    }

    @Test
    void afterTheLastAttemptTheLastFailureIsThrownWithTheEarlierOnesSuppressedAndNothingIsWritten() {
        RunStore unreachable = losingAnswers(Integer.MAX_VALUE, false);

        assertThatThrownBy(() -> Retry.commit(unreachable, Commit.builder("wf", "r", "create").build(), 3,
                Duration.ofMillis(1)))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("attempt 3 lost");
                    assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("attempt 1 lost", "attempt 2 lost");
                });
        assertThat(calls).hasValue(3);
        assertThat(tables.counts()).isEqualTo("state=0, events=0, outbox=0, blocks=0");
    }

    @Test
    void aFailureRetryingCannotFixIsThrownAtOnce() {
        store.commit(Commit.builder("wf", "r", "create").build());

        assertThatThrownBy(() -> Retry.commit(losingAnswers(0, true), Commit.builder("wf", "r", "late")
                .expectedVersion(7).build(), 5, Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.VERSION_MISMATCH));
        assertThat(calls).hasValue(1);
    }

    @Test
    void anInterruptedWaitGivesUpWithTheFailureAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Retry.commit(losingAnswers(Integer.MAX_VALUE, false),
                    Commit.builder("wf", "r", "create").build(), 5, Duration.ofSeconds(10)))
                    .isInstanceOf(StorageException.class).hasMessage("attempt 1 lost");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void badArgumentsAreInvalidRequestsNamingTheField() {
        Commit commit = Commit.builder("wf", "r", "create").build();
        assertInvalidWritingNothing(() -> Retry.commit(null, commit, 1, Duration.ZERO), "store");
        assertInvalidWritingNothing(() -> Retry.commit(store, null, 1, Duration.ZERO), "commit");
        assertInvalidWritingNothing(() -> Retry.commit(store, commit, 0, Duration.ZERO), "attempts");
        assertInvalidWritingNothing(() -> Retry.commit(store, commit, 1, null), "backoff");
        assertInvalidWritingNothing(() -> Retry.commit(store, commit, 1, Duration.ofMillis(-1)), "backoff");
        assertThatThrownBy(() -> Retry.commit(store, Commit.builder("", "r", "s").build(), 3, Duration.ZERO))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("workflowId"));
    }

    // The store, except that the first `lost` commits fail with a lost connection: after landing
    // (`landFirst`: the answer was lost) or before reaching the database.
    private RunStore losingAnswers(int lost, boolean landFirst) {
        return (RunStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RunStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("commit")) {
                        return method.invoke(store, args);
                    }
                    int call = calls.incrementAndGet();
                    if (call > lost) {
                        return store.commit((Commit) args[0]);
                    }
                    if (landFirst) {
                        store.commit((Commit) args[0]);
                    }
                    throw new StorageException("attempt " + call + " lost", new SocketException("Connection reset"));
                });
    }
}
