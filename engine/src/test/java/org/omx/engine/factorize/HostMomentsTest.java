package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Host row moments against a plain double two-pass computation; rows with NaN, a constant row, odd lengths. */
class HostMomentsTest {

    @Test
    void matches_plain_double_moments() {
        int t = 37, n = 103;
        Random rng = new Random(4);
        float[] a = new float[t * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (1000 + rng.nextGaussian());
        a[5 * n + 7] = Float.NaN;
        a[6 * n] = Float.NaN;
        a[6 * n + 1] = Float.NaN;
        for (int j = 0; j < n; j++) a[9 * n + j] = 3f;
        double[] mean = new double[t], var = new double[t];
        int[] count = new int[t];
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            HostMoments.compute(FloatMatrix.wrap(a, t, n), mean, var, count, pool);
        }
        for (int i = 0; i < t; i++) {
            double s = 0;
            int c = 0;
            for (int j = 0; j < n; j++) if (!Float.isNaN(a[i * n + j])) {
                s += a[i * n + j];
                c++;
            }
            double mu = s / c, ss = 0;
            for (int j = 0; j < n; j++) if (!Float.isNaN(a[i * n + j])) ss += (a[i * n + j] - mu) * (a[i * n + j] - mu);
            assertEquals(c, count[i], "count " + i);
            assertEquals(mu, mean[i], 1e-12 * Math.abs(mu), "mean " + i);
            assertEquals(ss / (c - 1), var[i], 1e-9 * (ss / (c - 1)) + 1e-12, "variance " + i);
        }
        assertEquals(n - 1, count[5]);
        assertEquals(n - 2, count[6]);
        assertEquals(0, var[9]);
    }

    /** Uncentered: (n - 1) variance + n mean^2 is the plain double sum of squares; NaN rows as in the centered path. */
    @Test
    void uncentered_moments_give_the_sum_of_squares() {
        int t = 21, n = 99;
        Random rng = new Random(6);
        float[] a = new float[t * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (5 + rng.nextGaussian());
        a[3 * n + 4] = Float.NaN;
        double[] mean = new double[t], var = new double[t];
        int[] count = new int[t];
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            HostMoments.compute(FloatMatrix.wrap(a, t, n), mean, var, count, pool, false);
        }
        for (int i = 0; i < t; i++) {
            if (i == 3) continue;
            double ss = 0;
            for (int j = 0; j < n; j++) ss += (double) a[i * n + j] * a[i * n + j];
            assertEquals(n, count[i]);
            assertEquals(ss, (n - 1) * var[i] + n * mean[i] * mean[i], 1e-12 * ss, "sum of squares " + i);
        }
        assertEquals(n - 1, count[3], "the NaN is skipped and counted as before");
    }
}
