package org.omx.engine.factorize;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

/**
 * One pass over a resident row-major float32 A (t x n) that computes, block of rows by block of
 * rows, {@code P_b = A_b H^T}, lets the caller turn P_b into new rows {@code W_b} (NMF's W update,
 * a Gram pass's shift and scale), and accumulates {@code W^T A} from the same block while it is
 * still in cache: A is read from memory once per pass instead of once per product (the two separate
 * products of {@link SkinnyProducts} read all of A twice; at 1,000 x 5,000 A is 20 MB, larger than
 * the caches, so the second read went to memory again).
 *
 * <p>Blocks are {@link #BLOCK} rows (BLOCK x n floats; 320 KB at n = 5,000, within a core's L2 next to
 * the k x n accumulator of the second product). Workers take chunks of blocks; each worker thread
 * sums into its own k x n accumulator, and the accumulators are added at the end.
 */
final class FusedRowPass {

    /** Turns {@code p} (rows x k, row-major: rows {@code i0 ..} of A H^T) into the rows of W (written to {@code wf}, same layout). */
    @FunctionalInterface
    interface RowUpdate {
        void update(int i0, int rows, float[] p, float[] wf);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int COLS = 2 * L;
    private static final int FACTORS = 5;
    static final int BLOCK = 16;

    private final int n;
    private final int k;
    private final ForkJoinPool pool;
    private final Map<Thread, float[]> accumulators = new ConcurrentHashMap<>();

    FusedRowPass(int n, int k, ForkJoinPool pool) {
        this.n = n;
        this.k = k;
        this.pool = pool;
    }

    /** {@code out (k x n) = W^T A} where W's rows come from {@code update} applied to {@code A H^T}; W's float rows land in {@code wf} (t x k). */
    void run(float[] a, int t, float[] h, RowUpdate update, float[] wf, float[] out) {
        for (float[] acc : accumulators.values()) java.util.Arrays.fill(acc, 0f);
        int blocks = (t + BLOCK - 1) / BLOCK;
        SkinnyProducts.parallel(pool, blocks, (b0, b1) -> {
            float[] acc = accumulators.computeIfAbsent(Thread.currentThread(), x -> new float[k * n]);
            float[] p = new float[BLOCK * k];
            float[] wb = new float[BLOCK * k];
            for (int b = b0; b < b1; b++) {
                int i0 = b * BLOCK, rows = Math.min(BLOCK, t - i0);
                for (int r = 0; r < rows; r += 2)
                    SkinnyProducts.rowBlock(a, Math.min(2, rows - r), i0 + r, n, h, k, p, -i0 * k);
                update.update(i0, rows, p, wb);
                System.arraycopy(wb, 0, wf, i0 * k, rows * k);
                accumulate(wb, a, i0, rows, acc);
            }
        });
        java.util.Arrays.fill(out, 0f);
        for (float[] acc : accumulators.values()) {
            int i = 0;
            for (int vn = out.length - out.length % L; i < vn; i += L)
                FloatVector.fromArray(S, out, i).add(FloatVector.fromArray(S, acc, i)).intoArray(out, i);
            for (; i < out.length; i++) out[i] += acc[i];
        }
    }

    /** {@code acc (k x n) += W_b^T A_b} for the rows {@code i0 .. i0 + rows} of A and the rows of {@code wb} (rows x k). */
    private void accumulate(float[] wb, float[] a, int i0, int rows, float[] acc) {
        int vn = n - n % COLS;
        for (int j0 = 0; j0 < vn; j0 += COLS) {
            int f0 = 0;
            for (; f0 + FACTORS <= k; f0 += FACTORS) {
                int o = f0 * n + j0;
                FloatVector c00 = FloatVector.fromArray(S, acc, o), c01 = FloatVector.fromArray(S, acc, o + L);
                FloatVector c10 = FloatVector.fromArray(S, acc, o + n), c11 = FloatVector.fromArray(S, acc, o + n + L);
                FloatVector c20 = FloatVector.fromArray(S, acc, o + 2 * n), c21 = FloatVector.fromArray(S, acc, o + 2 * n + L);
                FloatVector c30 = FloatVector.fromArray(S, acc, o + 3 * n), c31 = FloatVector.fromArray(S, acc, o + 3 * n + L);
                FloatVector c40 = FloatVector.fromArray(S, acc, o + 4 * n), c41 = FloatVector.fromArray(S, acc, o + 4 * n + L);
                for (int r = 0; r < rows; r++) {
                    int ai = (i0 + r) * n + j0;
                    FloatVector x0 = FloatVector.fromArray(S, a, ai), x1 = FloatVector.fromArray(S, a, ai + L);
                    int wi = r * k + f0;
                    FloatVector y = FloatVector.broadcast(S, wb[wi]);
                    c00 = x0.fma(y, c00);
                    c01 = x1.fma(y, c01);
                    y = FloatVector.broadcast(S, wb[wi + 1]);
                    c10 = x0.fma(y, c10);
                    c11 = x1.fma(y, c11);
                    y = FloatVector.broadcast(S, wb[wi + 2]);
                    c20 = x0.fma(y, c20);
                    c21 = x1.fma(y, c21);
                    y = FloatVector.broadcast(S, wb[wi + 3]);
                    c30 = x0.fma(y, c30);
                    c31 = x1.fma(y, c31);
                    y = FloatVector.broadcast(S, wb[wi + 4]);
                    c40 = x0.fma(y, c40);
                    c41 = x1.fma(y, c41);
                }
                c00.intoArray(acc, o);
                c01.intoArray(acc, o + L);
                c10.intoArray(acc, o + n);
                c11.intoArray(acc, o + n + L);
                c20.intoArray(acc, o + 2 * n);
                c21.intoArray(acc, o + 2 * n + L);
                c30.intoArray(acc, o + 3 * n);
                c31.intoArray(acc, o + 3 * n + L);
                c40.intoArray(acc, o + 4 * n);
                c41.intoArray(acc, o + 4 * n + L);
            }
            for (int f = f0; f < k; f++) {
                int o = f * n + j0;
                FloatVector c0 = FloatVector.fromArray(S, acc, o), c1 = FloatVector.fromArray(S, acc, o + L);
                for (int r = 0; r < rows; r++) {
                    int ai = (i0 + r) * n + j0;
                    FloatVector y = FloatVector.broadcast(S, wb[r * k + f]);
                    c0 = FloatVector.fromArray(S, a, ai).fma(y, c0);
                    c1 = FloatVector.fromArray(S, a, ai + L).fma(y, c1);
                }
                c0.intoArray(acc, o);
                c1.intoArray(acc, o + L);
            }
        }
        for (int f = 0; f < k; f++)
            for (int r = 0; r < rows; r++) {
                float y = wb[r * k + f];
                int ai = (i0 + r) * n, o = f * n;
                for (int j = vn; j < n; j++) acc[o + j] += y * a[ai + j];
            }
    }

    /** Compiles the kernels before the first real pass (see {@link SkinnyProducts#warmUp()}). */
    static void warmUp() {
        int n = 2 * COLS + 3, t = BLOCK + 2, k = 2 * FACTORS + 1;
        float[] a = new float[t * n], h = new float[k * n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(h, 0.5f);
        try (ForkJoinPool single = new ForkJoinPool(1)) {
            FusedRowPass pass = new FusedRowPass(n, k, single);
            float[] wf = new float[t * k], out = new float[k * n];
            for (int rep = 0; rep < 3_000; rep++) pass.run(a, t, h, (i0, rows, p, wb) -> System.arraycopy(p, 0, wb, 0, rows * k), wf, out);
        }
    }
}
