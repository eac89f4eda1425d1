package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused pass against a plain double-precision computation of the same products, on shapes with every tail. */
class FusedRowPassTest {

    @Test
    void matches_double_precision_products_with_a_row_update() {
        // k = 12: two 5-factor groups and 2 tail factors; n = 75: whole column blocks and a tail; t = 37: partial blocks and odd rows
        for (int[] shape : new int[][]{{37, 75, 12}, {16, 32, 5}, {3, 7, 1}}) {
            int t = shape[0], n = shape[1], k = shape[2];
            Random rng = new Random(t * 31 + n);
            float[] a = new float[t * n], h = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat();
            for (int i = 0; i < h.length; i++) h[i] = rng.nextFloat() - 0.3f;
            float[] wf = new float[t * k], out = new float[k * n];
            try (ForkJoinPool pool = new ForkJoinPool(2)) {
                // the update squares P elementwise, so W depends on P and a wrong P shows up in both outputs
                new FusedRowPass(n, k, pool).run(a, t, h, (i0, rows, p, wb) -> {
                    for (int i = 0; i < rows * k; i++) wb[i] = p[i] * p[i];
                }, wf, out);
            }
            double[] w = new double[t * k];
            for (int i = 0; i < t; i++)
                for (int f = 0; f < k; f++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += (double) a[i * n + j] * h[f * n + j];
                    w[i * k + f] = s * s;
                    assertEquals(w[i * k + f], wf[i * k + f], 1e-5 * (1 + Math.abs(w[i * k + f])), "W " + i + "," + f);
                }
            for (int f = 0; f < k; f++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int i = 0; i < t; i++) s += (float) w[i * k + f] * (double) a[i * n + j];
                    assertEquals(s, out[f * n + j], 1e-5 * (1 + Math.abs(s)), "W^T A " + f + "," + j);
                }
        }
    }
}
