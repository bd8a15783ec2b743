package dev.verist.storage.pg.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verist.storage.internal.Checks;
import org.junit.jupiter.api.Test;

/** What a failed attempt records as its last error: always text the store accepts. */
class FailureDescriptionTest {

    private static final String NUL = String.valueOf((char) 0);
    private static final String HIGH = String.valueOf((char) 0xD800);
    private static final String PAIR = new String(Character.toChars(0x1F600));

    @Test
    void describesTheExceptionAndItsCauses() {
        Exception failure = new IllegalStateException("payment refused", new java.io.IOException("reset"));

        assertThat(ActiveDispatch.describe(failure))
                .isEqualTo("java.lang.IllegalStateException: payment refused; caused by java.io.IOException: reset");
    }

    @Test
    void replacesWhatPostgresqlCannotStore() {
        String described = ActiveDispatch.describe(new Exception("nul " + NUL + ", lone " + HIGH + " and a pair " + PAIR));

        assertThat(described).isEqualTo("java.lang.Exception: nul ?, lone ? and a pair " + PAIR);
        assertThat(Checks.textProblem(described)).isNull();
    }

    @Test
    void staysWithinTwoThousandCharactersWithoutSplittingAPair() {
        String message = "x".repeat(1978) + PAIR + "y".repeat(100); // the pair straddles the limit
        String described = ActiveDispatch.describe(new Exception(message));

        assertThat(described).hasSizeLessThanOrEqualTo(2000);
        assertThat(Checks.textProblem(described)).isNull();
    }
}
