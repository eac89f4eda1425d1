package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused pass against a plain double-precision computation of the same products, on shapes with every tail. */
class FusedRowPassTest {

    @Test
    void matches_double_precision_products_with_a_row_update() {
        // k = 12: a 10-factor group and 2 tail factors (47: four 10-groups, a 5-group, 2 tail factors; 3 vectors of H); n = 75: whole column blocks and a tail; t = 37: partial blocks and odd rows
        for (int[] shape : new int[][]{{37, 75, 12}, {16, 32, 5}, {3, 7, 1}, {21, 300, 47}}) {
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

    @Test
    void projection_of_shifted_rows_matches_double_products() {
        int t = 37, n = 300, k = 30;
        Random rng = new Random(5);
        float[] a = new float[t * n], h = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat() - 0.5f;
        for (int i = 0; i < h.length; i++) h[i] = rng.nextFloat() - 0.5f;
        double[] out = new double[t * k];
        double[] shift = new double[t + 2]; // row means, read from index 2 on
        for (int i = 0; i < shift.length; i++) shift[i] = rng.nextDouble();
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            new FusedRowPass(n, k, pool).project(org.omx.kernels.api.FloatMatrix.wrap(a, t, n), shift, 2, h, out);
        }
        for (int i = 0; i < t; i++)
            for (int f = 0; f < k; f++) {
                double s = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    double term = ((float) (a[i * n + j] - shift[2 + i])) * (double) h[f * n + j];
                    s += term;
                    mag += Math.abs(term);
                }
                assertEquals(s, out[i * k + f], 1e-6 * mag, "A H^T " + i + "," + f);
            }
    }

    /**
     * Rows around 5 that vary by 1e-4 (raw intensities): centered in float pairs, every product is
     * within 1e-5 of the float64 product of exactly centered rows, relative to the sum of its terms'
     * magnitudes. Centering in plain float32 (the float mean subtracted) leaves a bias of up to half
     * a float ulp of 5, about 2e-7: 0.2 % of the signal, in every term.
     */
    @Test
    void projection_centers_rows_far_from_zero_without_cancellation() {
        int t = 21, n = 500, k = 7;
        Random rng = new Random(9);
        float[] a = new float[t * n], h = new float[k * n];
        double[] mean = new double[t];
        for (int i = 0; i < t; i++) {
            double level = 4 + 2 * rng.nextDouble();
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (float) (level + 1e-4 * rng.nextGaussian());
                mean[i] += a[i * n + j] / (double) n;
            }
        }
        for (int i = 0; i < h.length; i++) h[i] = rng.nextFloat() - 0.5f;
        double[] out = new double[t * k];
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            new FusedRowPass(n, k, pool).project(org.omx.kernels.api.FloatMatrix.wrap(a, t, n), mean, 0, h, out);
        }
        for (int i = 0; i < t; i++)
            for (int f = 0; f < k; f++) {
                double s = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    double term = (a[i * n + j] - mean[i]) * (double) h[f * n + j];
                    s += term;
                    mag += Math.abs(term);
                }
                assertEquals(s, out[i * k + f], 1e-5 * mag, "A H^T " + i + "," + f);
            }
    }

    @Test
    void context_threads_choose_the_workers() {
        FactorizeContext all = new FactorizeContext(FactorizeFixtures.context().backend(), 1 << 20, (d, t) -> { }, s -> { });
        assertEquals(Runtime.getRuntime().availableProcessors(), all.workers());
        assertEquals(1, new FactorizeContext(all.backend(), 1 << 20, (d, t) -> { }, s -> { }, 1).workers());
    }
}
