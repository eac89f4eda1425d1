package org.omx.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.cpu.TestMatrices.Layout;

/**
 * GEMM against the textbook triple loop in double. Tolerance: float32 accumulation must agree within
 * 1e-5 of sum_p |alpha a_ip b_pj| + |beta c_ij| (rounding grows at most like k * 2^-24 and in practice
 * like sqrt(k) * 2^-24, so 1e-5 holds with margin for the k up to ~1000 used here); float64 accumulation
 * within 1e-6 of the same scale (only the final rounding to float remains, 2^-24 ~ 6e-8).
 */
class GemmTest {

    private static CpuBackend four;
    private static CpuBackend one;

    @BeforeAll
    static void open() {
        four = CpuBackend.open(4);
        one = CpuBackend.open(1);
    }

    @AfterAll
    static void close() {
        four.close();
        one.close();
    }

    /** Returns the worst scaled error of C after the call against the double reference. */
    private static double check(CpuBackend backend, Op opA, Op opB, int m, int n, int k, float alpha, float beta,
                                Accumulation acc, Layout la, Layout lb, Layout lc, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix a = opA == Op.N ? TestMatrices.random(arena, la, m, k, rnd) : TestMatrices.random(arena, la, k, m, rnd);
            FloatMatrix b = opB == Op.N ? TestMatrices.random(arena, lb, k, n, rnd) : TestMatrices.random(arena, lb, n, k, rnd);
            FloatMatrix c = TestMatrices.random(arena, lc, m, n, rnd);
            if (beta == 0f && m > 0 && n > 0) c.set(m - 1, 0, Float.NaN); // must be ignored
            double[][] ad = TestMatrices.toDouble(a);
            double[][] bd = TestMatrices.toDouble(b);
            double[][] c0 = TestMatrices.toDouble(c);
            backend.gemm(opA, a, opB, b, alpha, beta, c, acc);
            assertTrue(TestMatrices.gapsUntouched(c), "gemm wrote outside C's view");
            double worst = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double scale = 0;
                    for (int p = 0; p < k; p++) {
                        double x = opA == Op.N ? ad[i][p] : ad[p][i];
                        double y = opB == Op.N ? bd[p][j] : bd[j][p];
                        sum += x * y;
                        scale += Math.abs(x * y);
                    }
                    double old = beta == 0f ? 0 : c0[i][j];
                    double ref = alpha * sum + beta * old;
                    scale = Math.abs(alpha) * scale + Math.abs(beta * old) + 1e-30;
                    double got = c.get(i, j);
                    if (Double.isNaN(got)) return Double.POSITIVE_INFINITY;
                    worst = Math.max(worst, Math.abs(got - ref) / scale);
                }
            }
            return worst;
        }
    }

    @Test
    void every_op_combination_matches_the_triple_loop_on_awkward_shapes() {
        // 1, odd, primes, sizes around the micro-tiles (6 or 8 x 32) and vector width (16).
        int[][] shapes = {{1, 1, 1}, {1, 33, 7}, {6, 32, 16}, {7, 31, 17}, {8, 32, 16}, {9, 33, 5}, {13, 97, 3},
                {37, 1, 29}, {61, 67, 257}, {5, 16, 300}, {101, 47, 1}, {12, 64, 64}, {16, 64, 64}, {17, 65, 1025}};
        long seed = 1;
        for (Op opA : Op.values())
            for (Op opB : Op.values())
                for (int[] s : shapes) {
                    double err = check(four, opA, opB, s[0], s[1], s[2], 1f, 0f, Accumulation.FLOAT32,
                            Layout.DENSE_HEAP, Layout.DENSE_HEAP, Layout.DENSE_HEAP, seed++);
                    assertTrue(err <= 1e-5, opA + "" + opB + " " + java.util.Arrays.toString(s) + " error " + err);
                }
    }

    /**
     * Blocks of op(B) packed once and shared by the row blocks: C wider than one task's columns (4,096)
     * with a column block (192 at depth 640) that does not divide them, and k split into two slices;
     * with one thread each task packs its own, as the reference for the same shapes.
     */
    @Test
    void shared_packed_b_matches_the_triple_loop_across_task_columns_and_depth_slices() {
        int[][] shapes = {{40, 4096 + 77, 640}, {30, 300, 1500}, {97, 8200, 33}};
        long seed = 50;
        for (Op opB : Op.values())
            for (int[] s : shapes)
                for (CpuBackend backend : new CpuBackend[]{four, one}) {
                    double err = check(backend, Op.N, opB, s[0], s[1], s[2], 1f, 0.5f, Accumulation.FLOAT32,
                            Layout.DENSE_HEAP, Layout.DENSE_HEAP, Layout.DENSE_HEAP, seed++);
                    assertTrue(err <= 1e-5, "N" + opB + " " + java.util.Arrays.toString(s) + " error " + err);
                }
    }

    @Test
    void strided_views_at_offsets_in_heap_and_native_memory_are_read_and_written_in_place() {
        long seed = 100;
        Layout[] layouts = Layout.values();
        for (Op opA : Op.values())
            for (Op opB : Op.values())
                for (int t = 0; t < layouts.length; t++) {
                    double err = check(four, opA, opB, 23, 41, 19, 0.5f, -1.25f, Accumulation.FLOAT32,
                            layouts[t], layouts[(t + 1) % 4], layouts[(t + 2) % 4], seed++);
                    assertTrue(err <= 1e-5, opA + "" + opB + " layouts " + t + " error " + err);
                }
    }

    @Test
    void alpha_and_beta_scale_the_product_and_the_old_contents() {
        float[][] ab = {{2f, 1f}, {-0.5f, 0.25f}, {1f, -3f}, {0.1f, 0f}};
        long seed = 200;
        for (float[] x : ab) {
            double err = check(four, Op.N, Op.T, 19, 35, 11, x[0], x[1], Accumulation.FLOAT32,
                    Layout.STRIDED_NATIVE, Layout.DENSE_HEAP, Layout.STRIDED_HEAP, seed++);
            assertTrue(err <= 1e-5, "alpha " + x[0] + " beta " + x[1] + " error " + err);
        }
    }

    @Test
    void beta_zero_ignores_nan_in_c_and_alpha_zero_or_k_zero_only_scales_c() {
        float[] a = {Float.NaN, 1, 2, 3};
        float[] b = {1, 2, 3, 4};
        float[] c = {Float.NaN, Float.NaN, 5, 6};
        four.gemm(Op.N, FloatMatrix.wrap(a, 2, 2), Op.N, FloatMatrix.wrap(b, 2, 2), 0f, 0f,
                FloatMatrix.wrap(c, 2, 2), Accumulation.FLOAT32);
        assertArrayEquals(new float[]{0, 0, 0, 0}, c); // BLAS: alpha 0 does not touch A, beta 0 not C
        float[] c2 = {1, 2, 3, 4};
        four.gemm(Op.N, FloatMatrix.wrap(new float[0], 2, 0), Op.N, FloatMatrix.wrap(new float[0], 0, 2), 1f, 2f,
                FloatMatrix.wrap(c2, 2, 2), Accumulation.FLOAT64);
        assertArrayEquals(new float[]{2, 4, 6, 8}, c2);
    }

    @Test
    void nan_in_a_propagates_to_its_row_of_c() {
        float[] a = {Float.NaN, 1, 2, 3};
        float[] c = new float[4];
        four.gemm(Op.N, FloatMatrix.wrap(a, 2, 2), Op.N, FloatMatrix.wrap(new float[]{1, 2, 3, 4}, 2, 2), 1f, 0f,
                FloatMatrix.wrap(c, 2, 2), Accumulation.FLOAT32);
        assertTrue(Float.isNaN(c[0]) && Float.isNaN(c[1]));
        assertArrayEquals(new float[]{11, 16}, new float[]{c[2], c[3]});
    }

    @Test
    void float64_accumulation_matches_the_reference_to_float_rounding_for_all_op_combinations() {
        int[][] shapes = {{1, 1, 1}, {7, 17, 13}, {193, 29, 131}, {11, 257, 5}, {6, 16, 129}};
        long seed = 300;
        for (Op opA : Op.values())
            for (Op opB : Op.values())
                for (int[] s : shapes) {
                    double err = check(four, opA, opB, s[0], s[1], s[2], -0.75f, 0.5f, Accumulation.FLOAT64,
                            Layout.STRIDED_HEAP, Layout.DENSE_NATIVE, Layout.STRIDED_NATIVE, seed++);
                    assertTrue(err <= 1e-6, opA + "" + opB + " " + java.util.Arrays.toString(s) + " error " + err);
                }
    }

    @Test
    void float64_accumulation_keeps_digits_that_float32_loses_over_a_long_inner_dimension() {
        // sum_p (1 + 2^-20) * 1 over k = 2^14 terms of a large constant plus tiny ones.
        int k = 1 << 14;
        float[] a = new float[k];
        float[] b = new float[k];
        for (int p = 0; p < k; p++) {
            a[p] = p == 0 ? 1e4f : 1e-4f;
            b[p] = 1f;
        }
        float[] c = new float[1];
        four.gemm(Op.N, FloatMatrix.wrap(a, 1, k), Op.T, FloatMatrix.wrap(b, 1, k), 1f, 0f, FloatMatrix.wrap(c, 1, 1),
                Accumulation.FLOAT64);
        double exact = 1e4f + (k - 1) * (double) 1e-4f;
        assertEquals((float) exact, c[0], 0f);
    }

    @Test
    void blocks_larger_than_mc_nc_and_kc_are_stitched_correctly() {
        // More rows than one task packs (A_BLOCK_FLOATS / k, 3966 rows at k = 264), more columns than
        // TASK_COLS (4096) and the B block (NC = 131072 / k), k > KC_MAX (1024: two 516-deep slices,
        // beta applied on the first only), each kept cheap by keeping the other dimensions small.
        assertTrue(check(one, Op.N, Op.N, 3979, 7, 264, 1f, 1f, Accumulation.FLOAT32,
                Layout.DENSE_NATIVE, Layout.STRIDED_HEAP, Layout.DENSE_HEAP, 400) <= 1e-5);
        assertTrue(check(four, Op.N, Op.T, 13, 37, 1031, 0.5f, -2f, Accumulation.FLOAT32,
                Layout.STRIDED_NATIVE, Layout.DENSE_HEAP, Layout.STRIDED_HEAP, 403) <= 1e-5);
        assertTrue(check(four, Op.T, Op.T, 7, 4099, 11, 1f, 0f, Accumulation.FLOAT32,
                Layout.DENSE_HEAP, Layout.DENSE_NATIVE, Layout.STRIDED_HEAP, 401) <= 1e-5);
        assertTrue(check(four, Op.T, Op.N, 197, 263, 17, 1f, 0f, Accumulation.FLOAT64,
                Layout.DENSE_HEAP, Layout.DENSE_HEAP, Layout.DENSE_HEAP, 402) <= 1e-6);
    }

    @Test
    void results_are_bitwise_identical_with_one_thread_and_with_four() {
        SplittableRandom rnd = new SplittableRandom(500);
        try (Arena arena = Arena.ofShared()) {
            for (Accumulation acc : Accumulation.values()) {
                FloatMatrix a = TestMatrices.random(arena, Layout.DENSE_NATIVE, 211, 300, rnd);
                FloatMatrix b = TestMatrices.random(arena, Layout.STRIDED_HEAP, 173, 300, rnd);
                FloatMatrix c1 = TestMatrices.allocate(arena, Layout.DENSE_HEAP, 211, 173);
                FloatMatrix c4 = TestMatrices.allocate(arena, Layout.DENSE_HEAP, 211, 173);
                one.gemm(Op.N, a, Op.T, b, 1f, 0f, c1, acc);
                four.gemm(Op.N, a, Op.T, b, 1f, 0f, c4, acc);
                assertArrayEquals(c1.toArray(), c4.toArray(), acc.name());
            }
        }
    }

    @Test
    void confined_arena_memory_is_computed_on_the_calling_thread() {
        SplittableRandom rnd = new SplittableRandom(600);
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = TestMatrices.random(arena, Layout.DENSE_NATIVE, 50, 20, rnd);
            FloatMatrix c = TestMatrices.allocate(arena, Layout.DENSE_NATIVE, 50, 50);
            four.gemm(Op.N, a, Op.T, a, 1f, 0f, c, Accumulation.FLOAT32);
            double ref = 0;
            for (int p = 0; p < 20; p++) ref += (double) a.get(3, p) * a.get(7, p);
            assertEquals(ref, c.get(3, 7), 1e-5);
        }
    }

    @Test
    void mismatched_shapes_are_rejected() {
        FloatMatrix a = FloatMatrix.wrap(new float[6], 2, 3);
        FloatMatrix c = FloatMatrix.wrap(new float[4], 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> four.gemm(Op.N, a, Op.N, a, 1f, 0f, c, Accumulation.FLOAT32));
    }
}
