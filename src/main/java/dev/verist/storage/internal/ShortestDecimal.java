package dev.verist.storage.internal;

import java.math.BigInteger;

/**
 * Shortest round-trip decimal of a positive finite double, the closest one when several are shortest,
 * formatted as ECMAScript does. Java 17's {@code Double.toString} is neither always shortest nor always
 * closest, so this is R. Giulietti's Schubfach algorithm ("The Schubfach way to render doubles", 2020),
 * without the two-digit minimum that Java 19+ adds on top of it: JavaScript prints {@code 5e-324} where
 * Java prints {@code 4.9E-324}. Allocation-free apart from the table built once.
 */
final class ShortestDecimal {

    private static final int Q_MIN = -1074; // exponent of the least significant bit of a subnormal
    private static final long C_MIN = 1L << 52; // smallest normal significand
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;

    /**
     * For k in [K_MIN, K_MAX]: g = floor(10^-k * 2^-r) + 1 with r chosen so that 2^125 <= 10^-k * 2^-r
     * < 2^126, split into g1 = g >> 63 and g0 = g & (2^63 - 1). Computed rather than transcribed, so it
     * cannot carry a typo; the paper proves these bits make every comparison below exact, and the tests
     * check the output against a brute-force search, including the tiny subnormals where dropping Java's
     * two-digit minimum changes the result.
     */
    private static final long[] G = buildTable();

    private ShortestDecimal() {
    }

    private static long[] buildTable() {
        long[] table = new long[2 * (K_MAX - K_MIN + 1)];
        BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = K_MIN; k <= K_MAX; k++) {
            int r = flog2pow10(-k) - 125;
            BigInteger g;
            if (k <= 0) {
                BigInteger pow = BigInteger.TEN.pow(-k);
                g = r >= 0 ? pow.shiftRight(r) : pow.shiftLeft(-r);
            } else {
                // r < 0 here: 10^-k * 2^-r = 2^-r / 10^k
                g = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
            }
            g = g.add(BigInteger.ONE);
            table[2 * (k - K_MIN)] = g.shiftRight(63).longValueExact();
            table[2 * (k - K_MIN) + 1] = g.and(mask63).longValueExact();
        }
        return table;
    }

    /** floor(e * log10(2)); the fixed-point constant is exact far beyond the exponents of a double. */
    static int flog10pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    /** floor(e * log10(2) + log10(3/4)), exact far beyond the exponents of a double. */
    static int flog10threeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    /** floor(e * log2(10)), exact far beyond the decimal exponents of a double. */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /** Appends the ECMAScript text of {@code v}, which must be positive and finite (the caller handles the rest). */
    static void append(StringBuilder out, double v) {
        long bits = Double.doubleToRawLongBits(v);
        long t = bits & (C_MIN - 1);
        int bq = (int) (bits >>> 52) & 0x7FF;
        if (bq != 0) {
            toDecimal(out, Q_MIN - 1 + bq, C_MIN | t);
        } else {
            toDecimal(out, Q_MIN, t);
        }
    }

    /** Renders the shortest decimal in the rounding interval of v = c * 2^q (c > 0). */
    private static void toDecimal(StringBuilder out, int q, long c) {
        // Parsing rounds half to even, so the interval's ends round back to v only when c is even.
        int out1 = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            // at a power of two the gap below v is half the gap above
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = G[2 * (k - K_MIN)];
        long g0 = G[2 * (k - K_MIN) + 1];

        // v, and the interval's ends, times 4 * 10^-k, rounded down with a sticky bit for inexactness
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);

        long s = vb >> 2;
        // 10^k <= interval width < 10^(k+1): at most one multiple of 10^(k+1) fits, which is then the
        // shortest; if none, at least one of s and s + 1 at 10^k fits.
        long sp10 = s / 10 * 10;
        long tp10 = sp10 + 10;
        boolean upin = vbl + out1 <= sp10 << 2;
        boolean wpin = (tp10 << 2) + out1 <= vbr;
        if (upin != wpin) {
            format(out, upin ? sp10 : tp10, k);
            return;
        }
        long st = s + 1;
        boolean uin = vbl + out1 <= s << 2;
        boolean win = (st << 2) + out1 <= vbr;
        if (uin != win) {
            format(out, uin ? s : st, k);
            return;
        }
        // both fit: the closer one, the even one on a tie (ECMAScript 6.1.6.1.20 step 5)
        long cmp = vb - (s + st << 1);
        format(out, cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : st, k);
    }

    /** floor(g * cp / 2^127), with the lowest bit set when the division is inexact. */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & Long.MAX_VALUE) + Long.MAX_VALUE) >>> 63;
    }

    /** Formats f * 10^e (f > 0) per ECMAScript Number::toString step 6 onward. */
    private static void format(StringBuilder out, long f, int e) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int k = digitCount(f);
        int n = e + k; // the value is 0.d1d2...dk * 10^n
        if (k <= n && n <= 21) {
            out.append(f);
            for (int i = k; i < n; i++) {
                out.append('0');
            }
        } else if (0 < n && n <= 21) {
            appendDigits(out, f, k, n);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = n; i < 0; i++) {
                out.append('0');
            }
            out.append(f);
        } else {
            appendDigits(out, f, k, k > 1 ? 1 : 0);
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
    }

    /** Appends the k digits of f with a decimal point after the first {@code point} digits (0 = none). */
    private static void appendDigits(StringBuilder out, long f, int k, int point) {
        int start = out.length();
        out.append(f);
        if (point > 0 && point < k) {
            out.insert(start + point, '.');
        }
    }

    private static int digitCount(long f) {
        int count = 1;
        long limit = 10;
        while (count < 19 && f >= limit) {
            count++;
            limit *= 10;
        }
        return count;
    }
}
