package org.omx.kernels.api;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Host ranking against the textbook definition: rank = 1 + #smaller + (#equal - 1) / 2, computed in double. */
class RowRankingTest {

    private static double reference(float[] row, int j) {
        double x = row[j];
        if (Double.isNaN(x)) return Double.NaN;
        int smaller = 0;
        int equal = 0;
        for (float y : row) {
            if (Float.isNaN(y)) continue;
            if (y < x) smaller++;
            else if (y == x) equal++; // -0.0 == 0.0 in double comparison: they tie
        }
        return 1 + smaller + (equal - 1) / 2.0;
    }

    @Test
    void ranks_average_ties_skip_nan_and_tie_signed_zeros_on_strided_views() {
        SplittableRandom rnd = new SplittableRandom(5);
        int rows = 9;
        int cols = 41;
        float[] backing = new float[3 + rows * (cols + 4)];
        FloatMatrix a = new FloatMatrix(java.lang.foreign.MemorySegment.ofArray(backing), 12, rows, cols, cols + 4);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                a.set(i, j, rnd.nextInt(6) == 0 ? Float.NaN : rnd.nextInt(7) - 3 + (i % 2 == 0 ? 0 : (float) rnd.nextGaussian()));
        a.set(0, 0, -0f);
        a.set(0, 1, 0f);
        for (int j = 0; j < cols; j++) a.set(8, j, Float.NaN); // an all-missing row stays missing
        float[] in = a.toArray();
        FloatMatrix out = FloatMatrix.wrap(new float[rows * cols], rows, cols);
        RowRanking.rankRows(a, out);
        for (int i = 0; i < rows; i++) {
            float[] row = java.util.Arrays.copyOfRange(in, i * cols, (i + 1) * cols);
            for (int j = 0; j < cols; j++)
                assertEquals(reference(row, j), out.get(i, j), 0.0, "(" + i + "," + j + ")"); // ranks are exact halves
        }
        RowRanking.rankRows(a, a); // in place gives the same
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) assertEquals(out.get(i, j), a.get(i, j), 0.0);
    }
}
