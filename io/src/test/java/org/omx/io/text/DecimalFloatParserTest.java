package org.omx.io.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecimalFloatParserTest {

    /** Parsed with digits after the terminating newline, so the 8-byte (SWAR) reads see garbage. */
    private static long parse(String s) {
        return DecimalFloatParser.parse((s + "\n12345678.12345678e12345678").getBytes(StandardCharsets.US_ASCII), 0);
    }

    private static long parseShort(String s) {
        return DecimalFloatParser.parse((s + "\n").getBytes(StandardCharsets.US_ASCII), 0);
    }

    private static void assertSameAsJdk(String s) {
        long r = parse(s);
        assertEquals(s.length(), DecimalFloatParser.end(r), () -> "end of " + s);
        assertEquals(r, parseShort(s), () -> "byte-by-byte path disagrees on " + s);
        float expected = Float.parseFloat(s);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(DecimalFloatParser.value(r)),
                () -> s + ": expected " + expected + " got " + DecimalFloatParser.value(r));
    }

    @Test
    void edge_cases_match_jdk() {
        for (String s : new String[]{"0", "-0", "+0", "0.0", "-0.0", "1", "-1", "+1", ".5", "-.5", "5.", "1e5", "1E+05",
                "1e-5", "00012.500", "0.000123", "1.5e-3", "12.3456", "16777217", "16777216", "16777219",
                "33554435", "3.4028235e38", "3.4028236e38", "1e39", "-1e39", "1.4e-45", "1e-46", "1e-38", "1.1754943e-38",
                "123456789012345678901234567890", "0.30000000000000004", "9007199254740993", "1e22", "1e23",
                "4.9e-324", "0e999", "1e-999", "1e999", "2.5", "0.1", "0.2", "0.7", "340282346638528859811704183484516925440",
                "1.00000000000000000000000000001", "000000000000000000000000000001"}) {
            assertSameAsJdk(s);
        }
    }

    @Test
    void non_numbers_are_refused() {
        for (String s : new String[]{"", "-", "+", ".", "e5", ".e5", "1e", "1e+", "abc", "NA", "-Inf"}) {
            assertEquals(DecimalFloatParser.NOT_A_NUMBER, DecimalFloatParser.end(parse(s)), s);
            assertEquals(DecimalFloatParser.NOT_A_NUMBER, DecimalFloatParser.end(parseShort(s)), s);
        }
    }

    @Test
    void digit_runs_of_every_length() {
        for (int n = 1; n <= 8; n++) {
            String digits = "98765432".substring(0, n);
            byte[] b = (digits + "x0000000").getBytes(StandardCharsets.US_ASCII);
            long word = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(n, DecimalFloatParser.digitRun(word));
            assertEquals(Long.parseLong(digits), DecimalFloatParser.digitsValue(word, n));
        }
        for (int x : new int[]{'/', ':', 0x80, 0xB0, 0xB9, 0xFF, 0}) {
            long word = 0x3030303030303030L & ~0xFFL | x;
            assertEquals(0, DecimalFloatParser.digitRun(word), "byte " + x);
        }
    }

    @Test
    void random_decimal_strings_match_jdk() {
        SplittableRandom rnd = new SplittableRandom(42);
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < 1_000_000; n++) {
            sb.setLength(0);
            switch (rnd.nextInt(4)) {
                case 0 -> sb.append('-');
                case 1 -> sb.append('+');
                default -> { }
            }
            int intDigits = rnd.nextInt(0, 12);
            int fracDigits = rnd.nextInt(0, 14);
            if (intDigits == 0 && fracDigits == 0) intDigits = 1;
            if (rnd.nextInt(4) == 0) sb.append("00");
            for (int i = 0; i < intDigits; i++) sb.append((char) ('0' + rnd.nextInt(10)));
            if (fracDigits > 0 || rnd.nextBoolean()) sb.append('.');
            for (int i = 0; i < fracDigits; i++) sb.append((char) ('0' + rnd.nextInt(10)));
            if (rnd.nextInt(3) == 0) {
                sb.append(rnd.nextBoolean() ? 'e' : 'E');
                int r = rnd.nextInt(3);
                if (r == 0) sb.append('-');
                else if (r == 1) sb.append('+');
                sb.append(rnd.nextInt(0, 50));
            }
            assertSameAsJdk(sb.toString());
        }
    }

    @Test
    void random_floats_printed_by_java_and_printf_match_jdk() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n = 0; n < 300_000; n++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isFinite(f)) continue;
            assertSameAsJdk(Float.toString(f));
            assertSameAsJdk(Double.toString(f));
            double d = rnd.nextDouble() * Math.pow(10, rnd.nextInt(-8, 9));
            assertSameAsJdk(String.format(java.util.Locale.ROOT, "%.4f", d));
            assertSameAsJdk(String.format(java.util.Locale.ROOT, "%.6g", d));
            assertSameAsJdk(String.format(java.util.Locale.ROOT, "%.3e", d));
        }
    }
}
