package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The broadcast-form products against plain double-precision dot products, on shapes with every tail. */
class BroadcastRowProductsTest {

    @Test
    void float_and_float64_chunk_sums_match_double_products() {
        // rows 19: two 8-row tiles and 3 single rows; n 600: two whole 256-column chunks and a part;
        // k 5: one vector of factors (padded), 20 and 40: a 2-vector chunk, and 40 also a 1-vector chunk (16 lanes)
        for (int k : new int[]{5, 20, 40}) {
            int rows = 19, n = 600, r0 = 3, t = r0 + rows;
            Random rng = new Random(k);
            float[] a = new float[t * n], h = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat() - 0.5f;
            for (int i = 0; i < h.length; i++) h[i] = rng.nextFloat() - 0.5f;
            int kp = BroadcastRowProducts.padded(k);
            float[] ht = BroadcastRowProducts.transposePadded(h, k, n, null);
            float[] pp = new float[rows * kp];
            double[] pd = new double[rows * kp];
            BroadcastRowProducts.block(a, r0, rows, n, ht, kp, pp);
            float[] single = pp.clone();
            BroadcastRowProducts.block(a, r0, rows, n, ht, kp, pp, pd);
            for (int r = 0; r < rows; r++)
                for (int f = 0; f < kp; f++) {
                    double s = 0, mag = 0;
                    if (f < k)
                        for (int j = 0; j < n; j++) {
                            double term = (double) a[(r0 + r) * n + j] * h[f * n + j];
                            s += term;
                            mag += Math.abs(term);
                        }
                    String at = "k " + k + " row " + r + " factor " + f;
                    assertEquals(s, single[r * kp + f], 1e-6 * mag + 1e-30, at);
                    assertEquals(s, pd[r * kp + f], 1e-6 * mag + 1e-30, at);
                }
        }
    }
}
