package org.omx.engine.factorize;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The two products of NMF's multiplicative updates, {@code A H^T} (t x k) and {@code W^T A} (k x n),
 * for a resident row-major float32 A and a small k, on the host CPU.
 *
 * <p>Why not the backend GEMM: with k ~ 20 the output is k columns wide, so every element of A
 * takes part in only k multiply-adds, and a packing GEMM spends as long copying A into panels (every
 * call, since the backend cannot keep A packed) as on the arithmetic: JFR on 1,000 x 5,000, k = 20
 * showed Gemm.packA at 40% of the samples and the micro-kernel under 5%. Here A is read in place:
 * {@code A H^T} as dot products along the rows (2 rows x 5 factors of vector accumulators, so each
 * vector of A loaded feeds 5 FMAs and each of H 2), {@code W^T A} as AXPYs of A's rows into 5 x 2
 * output vectors held in registers across the t rows of one column block. Both accumulate in float32
 * lanes; the lanes of the first are summed in double. Ten accumulators per loop, not twenty: with
 * twenty, C2 stopped inlining the Vector API calls (JFR: FloatVector.lanewiseTemplate on top, 5x slower).
 */
final class SkinnyProducts {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int ROWS = 2;
    private static final int FACTORS = 5;
    /** Columns per block of W^T A: 2 vectors. */
    private static final int COLS = 2 * L;

    private SkinnyProducts() {
    }

    /** {@code p (t x k, row-major) = A (t x n) H^T}, H k x n row-major. */
    static void timesTransposed(float[] a, int t, int n, float[] h, int k, float[] p, ForkJoinPool pool) {
        int blocks = (t + ROWS - 1) / ROWS;
        parallel(pool, blocks, (b0, b1) -> {
            for (int b = b0; b < b1; b++) rowBlock(a, Math.min(ROWS, t - b * ROWS), b * ROWS, n, h, k, p, 0);
        });
    }

    /** Rows {@code i0 .. i0 + rows} (rows <= 2) of {@code A H^T} into {@code p[row k + f + shift]}. */
    static void rowBlock(float[] a, int rows, int i0, int n, float[] h, int k, float[] p, int shift) {
        int vn = n - n % L;
        for (int f0 = 0; f0 < k; f0 += FACTORS) {
            int fs = Math.min(FACTORS, k - f0);
            if (rows == ROWS && fs == FACTORS) {
                int a0 = i0 * n, a1 = a0 + n;
                int h0 = f0 * n, h1 = h0 + n, h2 = h1 + n, h3 = h2 + n, h4 = h3 + n;
                FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c04 = c00;
                FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00, c14 = c00;
                for (int j = 0; j < vn; j += L) {
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + j), x1 = FloatVector.fromArray(S, a, a1 + j);
                    FloatVector y = FloatVector.fromArray(S, h, h0 + j);
                    c00 = x0.fma(y, c00);
                    c10 = x1.fma(y, c10);
                    y = FloatVector.fromArray(S, h, h1 + j);
                    c01 = x0.fma(y, c01);
                    c11 = x1.fma(y, c11);
                    y = FloatVector.fromArray(S, h, h2 + j);
                    c02 = x0.fma(y, c02);
                    c12 = x1.fma(y, c12);
                    y = FloatVector.fromArray(S, h, h3 + j);
                    c03 = x0.fma(y, c03);
                    c13 = x1.fma(y, c13);
                    y = FloatVector.fromArray(S, h, h4 + j);
                    c04 = x0.fma(y, c04);
                    c14 = x1.fma(y, c14);
                }
                finish(c00, a, h, n, vn, k, p, shift, i0, f0);
                finish(c01, a, h, n, vn, k, p, shift, i0, f0 + 1);
                finish(c02, a, h, n, vn, k, p, shift, i0, f0 + 2);
                finish(c03, a, h, n, vn, k, p, shift, i0, f0 + 3);
                finish(c04, a, h, n, vn, k, p, shift, i0, f0 + 4);
                finish(c10, a, h, n, vn, k, p, shift, i0 + 1, f0);
                finish(c11, a, h, n, vn, k, p, shift, i0 + 1, f0 + 1);
                finish(c12, a, h, n, vn, k, p, shift, i0 + 1, f0 + 2);
                finish(c13, a, h, n, vn, k, p, shift, i0 + 1, f0 + 3);
                finish(c14, a, h, n, vn, k, p, shift, i0 + 1, f0 + 4);
            } else {
                for (int r = 0; r < rows; r++)
                    for (int f = f0; f < f0 + fs; f++) {
                        int ar = (i0 + r) * n, hf = f * n;
                        FloatVector c = FloatVector.zero(S);
                        for (int j = 0; j < vn; j += L)
                            c = FloatVector.fromArray(S, a, ar + j).fma(FloatVector.fromArray(S, h, hf + j), c);
                        double s = laneSum(c);
                        for (int j = vn; j < n; j++) s += a[ar + j] * h[hf + j];
                        p[(i0 + r) * k + f + shift] = (float) s;
                    }
            }
        }
    }

    /**
     * The lanes of {@code c} added in lane order, in double. Not {@code reduceLanes(ADD)}: its order is
     * unspecified and differed between the interpreted and the compiled code, so a factorization's
     * first call and later calls gave results differing in the last bits.
     */
    static double laneSum(FloatVector c) {
        float[] lanes = c.toArray();
        double s = 0;
        for (float x : lanes) s += x;
        return s;
    }

    /** {@code p[r k + f] = sum(c) + the scalar tail of row r of A against row f of H}. */
    private static void finish(FloatVector c, float[] a, float[] h, int n, int vn, int k, float[] p, int shift, int r, int f) {
        double s = laneSum(c);
        int ar = r * n, hf = f * n;
        for (int j = vn; j < n; j++) s += a[ar + j] * h[hf + j];
        p[r * k + f + shift] = (float) s;
    }

    /** {@code out (k x n, row-major) = W^T A}, W t x k row-major (float), A t x n. */
    static void transposedTimes(float[] w, float[] a, int t, int n, int k, float[] out, ForkJoinPool pool) {
        int blocks = (n + COLS - 1) / COLS;
        parallel(pool, blocks, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int j0 = b * COLS;
                int cols = Math.min(COLS, n - j0);
                if (cols == COLS) columnBlock(w, a, t, n, k, j0, out);
                else columnTail(w, a, t, n, k, j0, cols, out);
            }
        });
    }

    private static void columnBlock(float[] w, float[] a, int t, int n, int k, int j0, float[] out) {
        for (int f0 = 0; f0 < k; f0 += FACTORS) {
            int fs = Math.min(FACTORS, k - f0);
            if (fs == FACTORS) {
                FloatVector z = FloatVector.zero(S);
                FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
                for (int i = 0; i < t; i++) {
                    int ai = i * n + j0;
                    FloatVector x0 = FloatVector.fromArray(S, a, ai), x1 = FloatVector.fromArray(S, a, ai + L);
                    int wi = i * k + f0;
                    FloatVector y = FloatVector.broadcast(S, w[wi]);
                    c00 = x0.fma(y, c00);
                    c01 = x1.fma(y, c01);
                    y = FloatVector.broadcast(S, w[wi + 1]);
                    c10 = x0.fma(y, c10);
                    c11 = x1.fma(y, c11);
                    y = FloatVector.broadcast(S, w[wi + 2]);
                    c20 = x0.fma(y, c20);
                    c21 = x1.fma(y, c21);
                    y = FloatVector.broadcast(S, w[wi + 3]);
                    c30 = x0.fma(y, c30);
                    c31 = x1.fma(y, c31);
                    y = FloatVector.broadcast(S, w[wi + 4]);
                    c40 = x0.fma(y, c40);
                    c41 = x1.fma(y, c41);
                }
                int o = f0 * n + j0;
                c00.intoArray(out, o);
                c01.intoArray(out, o + L);
                c10.intoArray(out, o + n);
                c11.intoArray(out, o + n + L);
                c20.intoArray(out, o + 2 * n);
                c21.intoArray(out, o + 2 * n + L);
                c30.intoArray(out, o + 3 * n);
                c31.intoArray(out, o + 3 * n + L);
                c40.intoArray(out, o + 4 * n);
                c41.intoArray(out, o + 4 * n + L);
            } else {
                for (int f = f0; f < f0 + fs; f++) {
                    FloatVector c0 = FloatVector.zero(S), c1 = c0;
                    for (int i = 0; i < t; i++) {
                        int ai = i * n + j0;
                        FloatVector y = FloatVector.broadcast(S, w[i * k + f]);
                        c0 = FloatVector.fromArray(S, a, ai).fma(y, c0);
                        c1 = FloatVector.fromArray(S, a, ai + L).fma(y, c1);
                    }
                    c0.intoArray(out, f * n + j0);
                    c1.intoArray(out, f * n + j0 + L);
                }
            }
        }
    }

    private static void columnTail(float[] w, float[] a, int t, int n, int k, int j0, int cols, float[] out) {
        for (int f = 0; f < k; f++) {
            int o = f * n + j0;
            java.util.Arrays.fill(out, o, o + cols, 0f);
            for (int i = 0; i < t; i++) {
                float y = w[i * k + f];
                int ai = i * n + j0;
                for (int j = 0; j < cols; j++) out[o + j] += y * a[ai + j];
            }
        }
    }

    private static volatile boolean warm;

    /**
     * Runs both kernels on a tiny problem until C2 has compiled them: interpreted or C1-compiled,
     * Vector API code allocates a box per operation and ran the first 20 NMF iterations at ~1.5
     * GFLOP/s (2.7 s on 1,000 x 5,000) against ~30-45 warm.
     */
    static void warmUp() {
        if (warm) return;
        int n = 4 * L, t = 2 * ROWS, k = FACTORS;
        float[] a = new float[t * n], h = new float[k * n], p = new float[t * k], w = new float[t * k], out = new float[k * n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(h, 0.5f);
        java.util.Arrays.fill(w, 0.25f);
        for (int rep = 0; rep < 12_000; rep++) {
            for (int b = 0; b < t / ROWS; b++) rowBlock(a, ROWS, b * ROWS, n, h, k, p, 0);
            for (int j0 = 0; j0 < n; j0 += COLS) columnBlock(w, a, t, n, k, j0, out);
        }
        warm = true;
    }

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Splits {@code [0, blocks)} into about 4 chunks per worker. */
    static void parallel(ForkJoinPool pool, int blocks, Range body) {
        int chunks = Math.max(1, Math.min(blocks, 4 * pool.getParallelism()));
        if (chunks == 1) {
            body.run(0, blocks);
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) blocks * c / chunks), to = (int) ((long) blocks * (c + 1) / chunks);
            tasks[c] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
    }
}
