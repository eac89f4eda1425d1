package org.omx.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.cpu.TestMatrices.Layout;

/** Row mean, variance and ranks against plain double loops; means and variances to 1e-12 relative. */
class RowStatisticsTest {

    private static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = CpuBackend.open(3);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void mean_and_sample_variance_skip_nan_and_match_two_pass_double() {
        SplittableRandom rnd = new SplittableRandom(7);
        try (Arena arena = Arena.ofShared()) {
            for (Layout layout : Layout.values()) {
                int rows = 37;
                int cols = 101;
                FloatMatrix a = TestMatrices.allocate(arena, layout, rows, cols);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                        a.set(i, j, rnd.nextInt(7) == 0 ? Float.NaN : (float) (1e4 + rnd.nextGaussian()));
                for (int j = 0; j < cols; j++) a.set(0, j, Float.NaN); // no value
                for (int j = 1; j < cols; j++) a.set(1, j, Float.NaN); // one value
                double[] mean = new double[rows];
                double[] var = new double[rows];
                int[] count = new int[rows];
                backend.rowMeanVariance(a, mean, var, count);
                assertEquals(0, count[0]);
                assertTrue(Double.isNaN(mean[0]) && Double.isNaN(var[0]));
                assertEquals(1, count[1]);
                assertEquals(a.get(1, 0), mean[1], 0);
                assertTrue(Double.isNaN(var[1]));
                for (int i = 2; i < rows; i++) {
                    double s = 0;
                    int n = 0;
                    for (int j = 0; j < cols; j++) if (!Float.isNaN(a.get(i, j))) { s += a.get(i, j); n++; }
                    double mu = s / n;
                    double ss = 0;
                    for (int j = 0; j < cols; j++) if (!Float.isNaN(a.get(i, j))) ss += Math.pow(a.get(i, j) - mu, 2);
                    assertEquals(n, count[i]);
                    assertEquals(mu, mean[i], 1e-12 * Math.abs(mu));
                    // Values near 1e4 with spread 1: a one-pass sum-of-squares formula would lose
                    // ~8 digits here; two passes keep the variance to 1e-9 relative.
                    assertEquals(ss / (n - 1), var[i], 1e-9 * ss / (n - 1));
                }
            }
        }
    }

    /** R's rank(x, ties.method = "average", na.last = "keep"), the slow way. */
    private static float[] referenceRanks(float[] row) {
        float[] r = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            if (Float.isNaN(row[j])) {
                r[j] = Float.NaN;
                continue;
            }
            int less = 0;
            int equal = 0;
            for (float y : row) {
                if (y < row[j]) less++;
                else if (y == row[j]) equal++;
            }
            r[j] = (float) (less + (equal + 1) / 2.0);
        }
        return r;
    }

    @Test
    void ranks_average_ties_and_leave_nan_unranked() {
        float[] row = {3, Float.NaN, 1, 3, -0.0f, 0.0f, 3, Float.NaN, -2};
        float[] out = new float[row.length];
        backend.rowRanks(FloatMatrix.wrap(row, 1, row.length), FloatMatrix.wrap(out, 1, row.length));
        // sorted: -2 (1), -0/0 (2.5 each), 1 (4), 3 x3 (6 each); NaN stays NaN
        assertArrayEquals(new float[]{6, Float.NaN, 4, 6, 2.5f, 2.5f, 6, Float.NaN, 1}, out);
    }

    @Test
    void ranks_match_the_reference_on_random_rows_with_ties_in_place_and_strided() {
        SplittableRandom rnd = new SplittableRandom(8);
        try (Arena arena = Arena.ofShared()) {
            for (Layout layout : Layout.values()) {
                int rows = 29;
                int cols = 1 + rnd.nextInt(200);
                FloatMatrix a = TestMatrices.allocate(arena, layout, rows, cols);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                        a.set(i, j, rnd.nextInt(9) == 0 ? Float.NaN : rnd.nextInt(i % 3 == 0 ? 4 : 1000) - 50.5f);
                float[][] expected = new float[rows][];
                for (int i = 0; i < rows; i++) {
                    float[] row = new float[cols];
                    a.copyRow(i, row, 0);
                    expected[i] = referenceRanks(row);
                }
                backend.rowRanks(a, a); // out aliases a
                assertTrue(TestMatrices.gapsUntouched(a));
                for (int i = 0; i < rows; i++) {
                    float[] got = new float[cols];
                    a.copyRow(i, got, 0);
                    assertArrayEquals(expected[i], got, "row " + i + " " + layout);
                }
            }
        }
    }
}
