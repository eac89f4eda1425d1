package org.omx.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Reduction;
import org.omx.kernels.cpu.TestMatrices.Layout;

/** Element-wise maps (bit-for-bit against ElementwiseOp.apply) and reductions (1e-12 relative, double sums). */
class ElementwiseAndReduceTest {

    private static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = CpuBackend.open(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static final float[] SPECIALS = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -1e30f, 1e30f, -1f, 1f};

    @Test
    void every_map_equals_elementwise_op_apply_bit_for_bit_including_nan_and_specials() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] params = {{1.5, -3}, {0, 0}, {-0.5, 0.5}, {2, Double.NaN}, {0.3, 7}};
        try (Arena arena = Arena.ofShared()) {
            for (ElementwiseOp op : ElementwiseOp.values()) {
                for (double[] p : params) {
                    Layout layout = Layout.values()[rnd.nextInt(4)];
                    int rows = 5;
                    int cols = 1 + rnd.nextInt(70); // not a multiple of the vector width, mostly
                    FloatMatrix a = TestMatrices.allocate(arena, layout, rows, cols);
                    for (int i = 0; i < rows; i++)
                        for (int j = 0; j < cols; j++)
                            a.set(i, j, rnd.nextInt(5) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)]
                                    : (float) (rnd.nextGaussian() * 10));
                    float[] in = a.toArray();
                    boolean inPlace = rnd.nextBoolean();
                    FloatMatrix out = inPlace ? a : TestMatrices.allocate(arena, Layout.STRIDED_HEAP, rows, cols);
                    backend.map(a, op, p[0], p[1], out);
                    float[] expected = new float[in.length];
                    for (int t = 0; t < in.length; t++) expected[t] = (float) op.apply(in[t], p[0], p[1]);
                    float[] got = out.toArray();
                    for (int t = 0; t < in.length; t++)
                        assertEquals(Float.floatToIntBits(expected[t]), Float.floatToIntBits(got[t]),
                                op + " " + java.util.Arrays.toString(p) + " of " + in[t] + ": " + got[t] + " vs " + expected[t]);
                    assertTrue(TestMatrices.gapsUntouched(out));
                }
            }
        }
    }

    private static double reference(Reduction r, double[] xs) {
        double acc = r == Reduction.MIN ? Double.POSITIVE_INFINITY : r == Reduction.MAX ? Double.NEGATIVE_INFINITY : 0;
        int n = 0;
        for (double x : xs) {
            if (Double.isNaN(x)) continue;
            n++;
            acc = switch (r) {
                case SUM -> acc + x;
                case SUM_OF_SQUARES -> acc + x * x;
                case MIN -> Math.min(acc, x);
                case MAX -> Math.max(acc, x);
                case COUNT -> acc + 1;
            };
        }
        return n == 0 && r != Reduction.SUM && r != Reduction.COUNT ? Double.NaN : acc;
    }

    @Test
    void reductions_over_rows_and_columns_skip_nan_and_follow_the_empty_line_rules() {
        SplittableRandom rnd = new SplittableRandom(12);
        try (Arena arena = Arena.ofShared()) {
            for (Layout layout : Layout.values()) {
                int rows = 1 + rnd.nextInt(60);
                int cols = 1 + rnd.nextInt(300); // columns may exceed the 64-column chunk
                FloatMatrix a = TestMatrices.allocate(arena, layout, rows, cols);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                        a.set(i, j, rnd.nextInt(5) == 0 || j == 0 || i == rows - 1 ? Float.NaN : (float) rnd.nextGaussian());
                double[][] d = TestMatrices.toDouble(a);
                for (Reduction r : Reduction.values()) {
                    double[] byRow = new double[rows];
                    backend.reduce(a, r, Axis.ROWS, byRow);
                    for (int i = 0; i < rows; i++) assertClose(reference(r, d[i]), byRow[i], r + " row " + i);
                    double[] byCol = new double[cols];
                    backend.reduce(a, r, Axis.COLUMNS, byCol);
                    for (int j = 0; j < cols; j++) {
                        double[] col = new double[rows];
                        for (int i = 0; i < rows; i++) col[i] = d[i][j];
                        assertClose(reference(r, col), byCol[j], r + " column " + j);
                    }
                }
            }
        }
    }

    @Test
    void empty_lines_give_zero_sum_and_count_and_nan_otherwise() {
        float[] allNaN = {Float.NaN, Float.NaN, Float.NaN};
        FloatMatrix a = FloatMatrix.wrap(allNaN, 1, 3);
        double[] out = new double[1];
        double[] expected = {0, Double.NaN, Double.NaN, Double.NaN, 0};
        for (Reduction r : Reduction.values()) {
            backend.reduce(a, r, Axis.ROWS, out);
            assertEquals(expected[r.ordinal()], out[0], r.name());
        }
    }

    private static void assertClose(double expected, double got, String what) {
        if (Double.isNaN(expected)) assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
        else assertEquals(expected, got, 1e-12 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void scale_rows_applies_each_rows_affine_map_bit_for_bit_on_views() {
        SplittableRandom rnd = new SplittableRandom(13);
        int rows = 37;
        int cols = 70; // not a multiple of the vector width
        float[] backing = new float[5 + rows * (cols + 9)];
        for (int i = 0; i < backing.length; i++) backing[i] = rnd.nextInt(8) == 0 ? Float.NaN : (float) rnd.nextGaussian() * 100;
        FloatMatrix a = new FloatMatrix(java.lang.foreign.MemorySegment.ofArray(backing), 20, rows, cols, cols + 9);
        float[] in = a.toArray();
        double[] scale = new double[rows];
        double[] shift = new double[rows];
        for (int i = 0; i < rows; i++) {
            scale[i] = rnd.nextDouble(-3, 3);
            shift[i] = rnd.nextDouble(-10, 10);
        }
        float guardBefore = backing[4];
        backend.scaleRows(a, scale, shift, a);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double x = in[i * cols + j];
                float ref = Double.isNaN(x) ? Float.NaN : (float) (scale[i] * x + shift[i]);
                assertEquals(Float.floatToIntBits(ref), Float.floatToIntBits(a.get(i, j)), "(" + i + "," + j + ")");
            }
        assertEquals(Float.floatToIntBits(guardBefore), Float.floatToIntBits(backing[4]), "elements outside the view untouched");
    }

    @Test
    void fill_missing_then_clamp_chain_in_place() {
        float[] x = {Float.NaN, -5, 0.25f, 9};
        FloatMatrix m = FloatMatrix.wrap(x, 2, 2);
        backend.map(m, ElementwiseOp.FILL_MISSING, 0, 1, m);
        backend.map(m, ElementwiseOp.CLAMP, -1, 2, m);
        assertArrayEquals(new float[]{1, -1, 0.25f, 2}, x);
    }
}
