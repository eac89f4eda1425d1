package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LaneDotTest {

    /** Against a plain float64 loop, within 1e-13 of the sum of |terms|, for lengths around the vector and chain widths, with offsets. */
    @Test
    void matches_a_plain_loop_at_every_length_and_offset() {
        Random rng = new Random(2);
        double[] x = new double[300], y = new double[300];
        for (int i = 0; i < 300; i++) {
            x[i] = rng.nextGaussian();
            y[i] = rng.nextGaussian();
        }
        for (int n = 0; n <= 70; n++)
            for (int off : new int[]{0, 3, 17}) {
                double s = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    s += x[off + j] * y[2 * off + j];
                    mag += Math.abs(x[off + j] * y[2 * off + j]);
                }
                assertEquals(s, LaneDot.dot(x, off, y, 2 * off, n), 1e-13 * mag, "n " + n + " offset " + off);
            }
    }
}
