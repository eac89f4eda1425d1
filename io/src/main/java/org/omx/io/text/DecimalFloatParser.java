package org.omx.io.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes into a float without creating a String.
 *
 * <p>Accepted syntax: {@code [+-]? digits* ('.' digits*)? ([eE] [+-]? digits+)?} with at least one
 * mantissa digit. Anything else (NA, Inf, quotes, spaces) is left to the caller's slow path.
 *
 * <p>Accuracy: the result is always the correctly rounded float, bit for bit what
 * {@link Float#parseFloat} returns. The fast path takes the decimal mantissa {@code m} as a long
 * and the decimal exponent {@code e}; when {@code m <= 2^53} and {@code |e| <= 22}, both {@code m}
 * and {@code 10^|e|} are exact doubles, so {@code m * 10^e} (or {@code m / 10^-e}) is one correctly
 * rounded double operation (Clinger 1990, "How to read floating point numbers accurately"). The
 * narrowing to float then rounds a second time; that double rounding can only differ from direct
 * rounding when the double result lies exactly on a midpoint between two floats (every float
 * midpoint is a double, so an exact value on the other side of one would round to the midpoint
 * itself). Those midpoints, float subnormals, mantissas with more than 17 digits and larger
 * exponents go to {@link Float#parseFloat}; in real expression/abundance tables that is well under
 * one value in a million.
 */
final class DecimalFloatParser {

    /** Returned position when the bytes are not a plain decimal number. */
    static final int NOT_A_NUMBER = -1;

    private static final double[] POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long[] INT_POWERS_OF_TEN = {
            1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** Digits are accumulated while the mantissa is below this, so m * 10 + 9 never overflows. */
    private static final long ACCUMULATE_LIMIT = 100_000_000_000_000_000L;
    /** The 29 double mantissa bits below float precision, and the pattern of a float midpoint. */
    private static final long BELOW_FLOAT_MASK = (1L << 29) - 1;
    private static final long FLOAT_MIDPOINT = 1L << 28;

    private DecimalFloatParser() {
    }

    /**
     * Parses the number starting at {@code b[p]}. The array must contain a byte after the number
     * that is not part of it (callers keep a terminating newline in every chunk).
     *
     * @return {@code (floatBits << 32) | end} where {@code end} is the position after the number,
     *         or {@link #NOT_A_NUMBER} in the low half when {@code b[p..]} does not start with a
     *         decimal number
     */
    static long parse(byte[] b, int p) {
        int start = p;
        boolean negative = false;
        int c = b[p];
        if (c == '-') {
            negative = true;
            p++;
        } else if (c == '+') {
            p++;
        }
        // Two SWAR steps, 8 bytes each: the integer digits, then the fraction digits. Runs of 8 or
        // more digits and arrays too short for an 8-byte read take the byte-by-byte path.
        if (p + 2 * Long.BYTES + 1 > b.length) return parseScalar(b, start);
        long word = (long) LONGS.get(b, p);
        int n = digitRun(word);
        if (n == Long.BYTES) return parseScalar(b, start);
        long mantissa = n == 0 ? 0 : digitsValue(word, n);
        int digits = n;
        int scale = 0;
        p += n;
        if (b[p] == '.') {
            p++;
            word = (long) LONGS.get(b, p);
            int f = digitRun(word);
            if (f == Long.BYTES) return parseScalar(b, start);
            if (f > 0) {
                mantissa = mantissa * INT_POWERS_OF_TEN[f] + digitsValue(word, f);
                scale = -f;
                digits += f;
                p += f;
            }
        }
        if (digits == 0) return NOT_A_NUMBER & 0xffffffffL;
        c = b[p];
        if (c == 'e' || c == 'E') {
            int q = p + 1;
            int ec = b[q];
            boolean expNegative = false;
            if (ec == '-') {
                expNegative = true;
                ec = b[++q];
            } else if (ec == '+') {
                ec = b[++q];
            }
            int exponent = 0;
            int expDigits = 0;
            int d;
            while ((d = ec - '0') >= 0 && d <= 9) {
                if (exponent < 100_000) exponent = exponent * 10 + d;
                expDigits++;
                ec = b[++q];
            }
            if (expDigits == 0) return NOT_A_NUMBER & 0xffffffffL;
            scale += expNegative ? -exponent : exponent;
            p = q;
        }
        // at most 14 digits: the mantissa is below 10^14 < 2^53
        return finish(b, start, p, negative, mantissa, scale, false);
    }

    /**
     * Number of ASCII digits at the start (lowest bytes) of a little-endian word: a byte is a digit
     * when {@code byte ^ '0'} is below 10, tested in all bytes at once without carries between them.
     */
    static int digitRun(long word) {
        long x = word ^ 0x3030303030303030L;
        long high = x & 0x8080808080808080L;
        long low = (x & 0x7f7f7f7f7f7f7f7fL) + 0x7676767676767676L;
        long nonDigit = (low | high) & 0x8080808080808080L;
        return Long.numberOfTrailingZeros(nonDigit) >>> 3;
    }

    /** The value of the first {@code n} (1..8) digits of a little-endian word, without branches. */
    static long digitsValue(long word, int n) {
        long v = (word ^ 0x3030303030303030L) << (64 - 8 * n); // first digit now in the lowest kept byte
        // pairwise combine: bytes -> 2-digit groups -> 4-digit groups -> 8 digits
        v = (v * 10) + (v >>> 8);
        v = (((v & 0x000000FF000000FFL) * (100 + (1000000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32)))) >>> 32;
        return v;
    }

    /** The byte-by-byte parser: any number of digits. */
    static long parseScalar(byte[] b, int p) {
        int start = p;
        boolean negative = false;
        int c = b[p];
        if (c == '-') {
            negative = true;
            c = b[++p];
        } else if (c == '+') {
            c = b[++p];
        }
        long mantissa = 0;
        int scale = 0;
        int digits = 0;
        boolean tooLong = false;
        int d;
        while ((d = c - '0') >= 0 && d <= 9) {
            if (mantissa < ACCUMULATE_LIMIT) mantissa = mantissa * 10 + d;
            else tooLong = true;
            digits++;
            c = b[++p];
        }
        if (c == '.') {
            c = b[++p];
            while ((d = c - '0') >= 0 && d <= 9) {
                if (mantissa < ACCUMULATE_LIMIT) {
                    mantissa = mantissa * 10 + d;
                    scale--;
                } else {
                    tooLong = true;
                }
                digits++;
                c = b[++p];
            }
        }
        if (digits == 0) return NOT_A_NUMBER & 0xffffffffL;
        if (c == 'e' || c == 'E') {
            int q = p + 1;
            int ec = b[q];
            boolean expNegative = false;
            if (ec == '-') {
                expNegative = true;
                ec = b[++q];
            } else if (ec == '+') {
                ec = b[++q];
            }
            int exponent = 0;
            int expDigits = 0;
            while ((d = ec - '0') >= 0 && d <= 9) {
                if (exponent < 100_000) exponent = exponent * 10 + d;
                expDigits++;
                ec = b[++q];
            }
            if (expDigits == 0) return NOT_A_NUMBER & 0xffffffffL;
            scale += expNegative ? -exponent : exponent;
            p = q;
        }
        return finish(b, start, p, negative, mantissa, scale, tooLong);
    }

    /** Scales and rounds; see the class comment for why the fast path is exact. */
    private static long finish(byte[] b, int start, int p, boolean negative, long mantissa, int scale, boolean tooLong) {
        float value;
        if (mantissa == 0 && !tooLong) {
            value = negative ? -0.0f : 0.0f;
        } else if (!tooLong && mantissa <= MAX_EXACT_MANTISSA && scale >= -22 && scale <= 22) {
            double x = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
            long bits = Double.doubleToRawLongBits(x);
            if ((bits & BELOW_FLOAT_MASK) == FLOAT_MIDPOINT || x < Float.MIN_NORMAL) {
                value = slow(b, start, p);
            } else {
                value = negative ? -(float) x : (float) x;
            }
        } else {
            value = slow(b, start, p);
        }
        return ((long) Float.floatToRawIntBits(value) << 32) | p;
    }

    static float value(long parsed) {
        return Float.intBitsToFloat((int) (parsed >>> 32));
    }

    static int end(long parsed) {
        return (int) parsed;
    }

    /** The rare case: syntax already checked, so the JDK parser accepts exactly these bytes. */
    private static float slow(byte[] b, int start, int end) {
        return Float.parseFloat(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    }
}
