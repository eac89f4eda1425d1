package org.omx.engine.network;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TenDigits against the JDK's Formatter ({@code %.10g}), the reference it replaces. */
class TenDigitsTest {

    private static void same(double v) {
        assertEquals(String.format(Locale.ROOT, "%.10g", v), TenDigits.format(v), () -> "value " + v + " (" + Double.doubleToRawLongBits(v) + ")");
    }

    @Test
    void special_values_and_boundaries() {
        double[] vs = {0.0, -0.0, 1, -1, 10, 0.1, 0.5, 1e-4, 9.9999999995e-5, 0.000099999999995, 1e-5, 9.999999999e9,
                9.9999999995e9, 1e10, 1e9, 123456789.0, 1234567890.0, 12345678901.0, 0.00012345, 1.00000000005, 1.00000000015,
                2.5e-10, 1e-100, 1.5e100, 1e300, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.9999999999, 0.99999999995, 0.999999999949, 99.99999999951,
                5e-324, 3.0e-5, 0.3, 1.0 / 3, -2.0 / 3, 4.35, 1e21, 123e-20, 0.001, 0.01, 1e7, 1e6 + 0.5};
        for (double v : vs) same(v);
        for (int e = -320; e <= 308; e++) {
            same(Math.pow(10, e));
            same(-1.2345678905 * Math.pow(10, e));
        }
    }

    @Test
    void random_doubles_over_all_magnitudes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            same(Double.longBitsToDouble(rnd.nextLong()));
            same(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-12, 14)) * (rnd.nextBoolean() ? 1 : -1));
            // short decimals and exact halves at the tenth digit, where half-up rounding decides
            same(rnd.nextLong(1, 100_000_000_000L) / Math.pow(10, rnd.nextInt(0, 16)));
            same((rnd.nextLong(1_000_000_000L, 10_000_000_000L) * 10 + 5) / Math.pow(10, rnd.nextInt(0, 16)));
        }
    }
}
