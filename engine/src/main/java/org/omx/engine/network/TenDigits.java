package org.omx.engine.network;

/**
 * A double as {@code String.format(Locale.ROOT, "%.10g", v)} writes it, character for character,
 * without the Formatter: the result tables hold about a hundred thousand numbers, and the Formatter
 * (format string parsing, a FormattedFPDecimal and two StringBuilders per number) took a quarter of
 * a second of a CLI run for them.
 *
 * <p>The JDK's {@code %g} rounds the shortest decimal that round-trips (the digits of
 * {@link Double#toString(double)}) half up to 10 significant digits, then prints plain notation
 * when the rounded exponent is in [-4, 10) and scientific ({@code d.ddddddddde+XX}) otherwise,
 * padding with zeros to 10 significant digits. This class does the same from those digits.
 */
final class TenDigits {

    private static final int PRECISION = 10;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    private TenDigits() {
    }

    static String format(double v) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, v);
        return sb.toString();
    }

    static StringBuilder append(StringBuilder sb, double v) {
        if (Double.isNaN(v)) return sb.append("NaN");
        if (Double.compare(v, 0.0) < 0) sb.append('-');   // -0.0 too, as the Formatter does
        double a = Math.abs(v);
        if (Double.isInfinite(a)) return sb.append("Infinity");
        if (a == 0) return sb.append("0.000000000");
        // the shortest round-trip decimal f * 10^e of n digits, read off Double.toString
        String s = Double.toString(a);
        int ePos = s.indexOf('E');
        int end = ePos < 0 ? s.length() : ePos;
        int e = ePos < 0 ? 0 : Integer.parseInt(s, ePos + 1, s.length(), 10);
        int dot = s.indexOf('.');   // Double.toString always writes one
        long f = 0;
        int n = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') continue;
            if (i > dot) e--;   // a digit after the point
            if (f == 0 && c == '0') continue;   // leading zero
            f = f * 10 + (c - '0');
            n++;
        }
        while (f % 10 == 0) {
            f /= 10;
            e++;
            n--;
        }
        if (n > PRECISION) {   // half up on the decimal digits, as FormattedFPDecimal.round
            long p = POW10[n - PRECISION];
            f = (f + p / 2) / p;
            e += n - PRECISION;
            n = PRECISION;
            if (f == POW10[PRECISION]) {
                f /= 10;
                e++;
            }
        }
        int er = n + e - 1;   // exponent of the leading digit
        char[] digits = new char[n];
        for (int i = n - 1; i >= 0; i--) {
            digits[i] = (char) ('0' + f % 10);
            f /= 10;
        }
        if (er >= -4 && er < PRECISION) plain(sb, digits, n, e, PRECISION - 1 - er);
        else scientific(sb, digits, n, er);
        return sb;
    }

    /** f * 10^e in plain notation with {@code fraction} digits after the point (none and no point when 0). */
    private static void plain(StringBuilder sb, char[] digits, int n, int e, int fraction) {
        int written;   // digits written after the point
        if (e >= 0) {
            sb.append(digits, 0, n);
            for (int i = 0; i < e; i++) sb.append('0');
            written = 0;
        } else if (n + e > 0) {
            sb.append(digits, 0, n + e).append('.').append(digits, n + e, -e);
            written = -e;
        } else {
            sb.append("0.");
            for (int i = 0; i < -(n + e); i++) sb.append('0');
            sb.append(digits, 0, n);
            written = -e;
        }
        if (written < fraction) {
            if (written == 0) sb.append('.');
            for (int i = written; i < fraction; i++) sb.append('0');
        }
    }

    private static void scientific(StringBuilder sb, char[] digits, int n, int er) {
        sb.append(digits[0]).append('.').append(digits, 1, n - 1);
        for (int i = n - 1; i < PRECISION - 1; i++) sb.append('0');
        sb.append('e').append(er < 0 ? '-' : '+');
        int a = Math.abs(er);
        if (a < 10) sb.append('0');
        sb.append(a);
    }
}
