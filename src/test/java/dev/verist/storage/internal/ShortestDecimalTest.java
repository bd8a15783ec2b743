package dev.verist.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortestDecimal}'s own pieces. Its output is checked digit for digit against JavaScript and a brute-force
 * search through {@link CanonicalJson#write} in {@code CanonicalJsonTest}.
 */
class ShortestDecimalTest {

    @Test
    void appendWritesTheShortestClosestDigitsInJavaScriptNotation() {
        assertThat(text(0.1)).isEqualTo("0.1");
        assertThat(text(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(text(1e21)).isEqualTo("1e+21");
        assertThat(text(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(text(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    }

    @Test
    void fixedPointLogarithmsAreExactForEveryExponentOfADouble() {
        for (int e = -1100; e <= 1100; e++) {
            // floor(log10(x)) is the largest k with 10^k <= x, checked on exact rationals
            BigDecimal pow2 = powerOfTwo(e);
            int k = ShortestDecimal.flog10pow2(e);
            assertThat(tenPow(k).compareTo(pow2)).as("flog10pow2(%d)", e).isLessThanOrEqualTo(0);
            assertThat(tenPow(k + 1).compareTo(pow2)).as("flog10pow2(%d)", e).isGreaterThan(0);

            BigDecimal threeQuarters = pow2.multiply(new BigDecimal("0.75"));
            int k34 = ShortestDecimal.flog10threeQuartersPow2(e);
            assertThat(tenPow(k34).compareTo(threeQuarters)).as("flog10threeQuartersPow2(%d)", e)
                    .isLessThanOrEqualTo(0);
            assertThat(tenPow(k34 + 1).compareTo(threeQuarters)).as("flog10threeQuartersPow2(%d)", e)
                    .isGreaterThan(0);
        }
        for (int e = -400; e <= 400; e++) {
            int r = ShortestDecimal.flog2pow10(e);
            BigDecimal tenPow = tenPow(e);
            assertThat(powerOfTwo(r).compareTo(tenPow)).as("flog2pow10(%d)", e).isLessThanOrEqualTo(0);
            assertThat(powerOfTwo(r + 1).compareTo(tenPow)).as("flog2pow10(%d)", e).isGreaterThan(0);
        }
    }

    private static String text(double v) {
        StringBuilder out = new StringBuilder();
        ShortestDecimal.append(out, v);
        return out.toString();
    }

    private static BigDecimal tenPow(int k) {
        return BigDecimal.ONE.scaleByPowerOfTen(k);
    }

    private static BigDecimal powerOfTwo(int e) {
        // 2^-n = 5^n * 10^-n, exactly
        return e >= 0 ? new BigDecimal(BigInteger.TWO.pow(e)) : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e);
    }
}
