package org.omx.engine.factorize;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.ForkJoinPool;

/**
 * One pass over a resident row-major float32 A (t x n) that computes, block of rows by block of
 * rows, {@code P_b = A_b H^T}, lets the caller turn P_b into new rows {@code W_b} (NMF's W update,
 * a Gram pass's shift and scale), and accumulates {@code W^T A} from the same block while it is
 * still in cache: A is read from memory once per pass instead of once per product (the two separate
 * products of {@link SkinnyProducts} read all of A twice; at 1,000 x 5,000 A is 20 MB, larger than
 * the caches, so the second read went to memory again).
 *
 * <p>{@code P_b} comes from {@link BroadcastRowProducts} (factors along the vector lanes, H transposed
 * and padded once per call, or once per pass with {@link Factors}); {@code W_b^T A_b} from register tiles of 10 (then 5, then 1) factors x 2 vectors of
 * columns, each loaded once per block and held over its rows.
 *
 * <p>Blocks are {@link #BLOCK} rows (BLOCK x n floats; 320 KB at n = 5,000, within a core's L2 next to
 * the k x n accumulator of the second product). The blocks are split into a fixed number of chunks,
 * each summing into its own k x n accumulator, added in chunk order at the end: results are the same
 * whichever thread runs which chunk (2 accumulators per worker: 4 k n floats on 2 cores).
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
    /** Chunks of blocks per worker (some slack for a worker slowed by other load); each chunk has its own accumulator. */
    static final int CHUNKS_PER_WORKER = 2;
    private final java.util.List<float[]> accumulators = new java.util.ArrayList<>();
    /** H^T, padded to whole vectors (see {@link BroadcastRowProducts}); reused across single calls. */
    private float[] transposed;

    FusedRowPass(int n, int k, ForkJoinPool pool) {
        this.n = n;
        this.k = k;
        this.pool = pool;
    }

    /**
     * H (k x n) as the products read it: transposed and padded to whole vectors. A pass over many
     * tiles prepares it once (the strided transpose of a 60 x 2,000 H for each of 196 tiles took
     * more time than the tiles' arithmetic in the projection pass).
     */
    record Factors(float[] transposed) {
    }

    /** {@code H^T} (n x k, row-major) prepared for {@link #run(org.omx.kernels.api.FloatMatrix, Factors, RowUpdate, float[], float[])} and {@link #project}. */
    Factors factors(float[] hTransposed) {
        return new Factors(BroadcastRowProducts.padded(hTransposed, n, k));
    }

    /** {@code out (k x n) = W^T A} where W's rows come from {@code update} applied to {@code A H^T}; W's float rows land in {@code wf} (t x k). */
    void run(float[] a, int t, float[] h, RowUpdate update, float[] wf, float[] out) {
        run(t, (i0, rows, buf) -> a, (i0) -> i0, reusedFactors(h), update, wf, out);
    }

    /** H^T into the buffer kept for single calls (NMF changes H in place between calls). */
    private Factors reusedFactors(float[] h) {
        transposed = BroadcastRowProducts.transposePadded(h, k, n, transposed);
        return new Factors(transposed);
    }

    /**
     * The same over a tile that is not a heap array (a memory-mapped store, decoded genotypes): each
     * block's rows are copied into a worker's buffer, the one read of them from memory, and both
     * products read the buffer; H prepared once for the pass ({@link #factors}). {@code wf} may be null.
     */
    void run(org.omx.kernels.api.FloatMatrix tile, Factors h, RowUpdate update, float[] wf, float[] out) {
        run(tile.rows(), (i0, rows, buf) -> {
            for (int r = 0; r < rows; r++) tile.copyRow(i0 + r, buf, r * n);
            return buf;
        }, i0 -> 0, h, update, wf, out);
    }

    /**
     * {@code out (rows x k, row-major) = tile H^T} alone, summed in float64 across column chunks (see
     * {@link BroadcastRowProducts}): the projection pass of the randomized SVD, whose products are the
     * answer. Blocks of rows run in parallel on the pool; each writes its own rows of {@code out}.
     * Row i of the tile is first shifted by {@code shift[shiftFrom + i]} (the feature mean; null: no
     * shift): float32 sums of uncentered rows would lose the centered signal to cancellation (raw
     * intensities around 5 with variance 1e-8 lost 1e-4 of a singular value).
     */
    void project(org.omx.kernels.api.FloatMatrix tile, double[] shift, int shiftFrom, float[] h, double[] out) {
        project(tile, shift, shiftFrom, reusedFactors(h), out);
    }

    /** The same with H prepared once for the pass ({@link #factors}). */
    void project(org.omx.kernels.api.FloatMatrix tile, double[] shift, int shiftFrom, Factors h, double[] out) {
        int t = tile.rows(), count = (t + BLOCK - 1) / BLOCK;
        int kp = BroadcastRowProducts.padded(k);
        float[] ht = h.transposed();
        SkinnyProducts.parallel(pool, count, (b0, b1) -> {
            Scratch scratch = takeScratch();
            float[] buffer = scratch.buffer, pp = scratch.pp;
            double[] pd = scratch.pd;
            for (int b = b0; b < b1; b++) {
                int i0 = b * BLOCK, rows = Math.min(BLOCK, t - i0);
                for (int r = 0; r < rows; r++) {
                    tile.copyRow(i0 + r, buffer, r * n);
                    if (shift == null) continue;
                    // the float64 mean as a float pair: two float subtractions are within about one
                    // float ulp of the float64 difference, and the loop vectorizes (a float64 one did not)
                    double mu = shift[shiftFrom + i0 + r];
                    float hi = (float) mu, lo = (float) (mu - hi);
                    for (int j = r * n; j < (r + 1) * n; j++) buffer[j] = buffer[j] - hi - lo;
                }
                BroadcastRowProducts.block(buffer, 0, rows, n, ht, kp, pp, pd);
                for (int r = 0; r < rows; r++) System.arraycopy(pd, r * kp, out, (i0 + r) * k, k);
            }
            spare.push(scratch);
        });
    }

    /**
     * One task's block buffers, kept for the next call: allocated per task per tile they made 100-200 MB
     * of garbage per pass (a young collection every pass or two, each promoting whatever long-lived
     * array was young then: 150 ms for the randomized SVD's 48 MB B here).
     */
    private final class Scratch {
        final float[] buffer = new float[BLOCK * n];
        final float[] p = new float[BLOCK * k];
        final float[] pp = new float[BLOCK * BroadcastRowProducts.padded(k)];
        final float[] wb = new float[BLOCK * k];
        final double[] pd = new double[BLOCK * BroadcastRowProducts.padded(k)];
    }

    private final java.util.concurrent.ConcurrentLinkedDeque<Scratch> spare = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private Scratch takeScratch() {
        Scratch s = spare.poll();
        return s != null ? s : new Scratch();
    }

    /** Where a block's rows are: the array returned, from row {@code firstRow(i0)} of it. */
    private interface Blocks {
        float[] read(int i0, int rows, float[] buffer);
    }

    private interface FirstRow {
        int of(int i0);
    }

    private void run(int t, Blocks blocks, FirstRow firstRow, Factors h, RowUpdate update, float[] wf, float[] out) {
        int count = (t + BLOCK - 1) / BLOCK;
        int chunks = Math.max(1, Math.min(count, CHUNKS_PER_WORKER * pool.getParallelism()));
        while (accumulators.size() < chunks) accumulators.add(new float[k * n]);
        int kp = BroadcastRowProducts.padded(k);
        float[] ht = h.transposed();
        java.util.concurrent.RecursiveAction[] tasks = new java.util.concurrent.RecursiveAction[chunks];
        for (int c = 0; c < chunks; c++) {
            int b0 = (int) ((long) count * c / chunks), b1 = (int) ((long) count * (c + 1) / chunks);
            float[] acc = accumulators.get(c);
            tasks[c] = new java.util.concurrent.RecursiveAction() {
                @Override
                protected void compute() {
                    java.util.Arrays.fill(acc, 0f);
                    Scratch scratch = takeScratch();
                    float[] p = scratch.p, pp = scratch.pp, wb = scratch.wb, buffer = scratch.buffer;
                    for (int b = b0; b < b1; b++) {
                        int i0 = b * BLOCK, rows = Math.min(BLOCK, t - i0);
                        float[] a = blocks.read(i0, rows, buffer);
                        int r0 = firstRow.of(i0);
                        BroadcastRowProducts.block(a, r0, rows, n, ht, kp, pp);
                        for (int r = 0; r < rows; r++) System.arraycopy(pp, r * kp, p, r * k, k);
                        update.update(i0, rows, p, wb);
                        if (wf != null) System.arraycopy(wb, 0, wf, i0 * k, rows * k);
                        accumulate(wb, a, r0, rows, acc);
                    }
                    spare.push(scratch);
                }
            };
        }
        if (chunks == 1) tasks[0].invoke();
        else pool.invoke(new java.util.concurrent.RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
        // chunk accumulators summed in chunk order: the result does not depend on which thread ran what
        java.util.Arrays.fill(out, 0f);
        for (int c = 0; c < chunks; c++) {
            float[] acc = accumulators.get(c);
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
            for (; f0 + 2 * FACTORS <= k; f0 += 2 * FACTORS) tile10x2(wb, a, i0, rows, acc, j0, f0);
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

    /** 10 factors x 2 vectors of {@code acc} held in registers over the rows of the block: 12 loads per 20 FMAs. */
    private void tile10x2(float[] wb, float[] a, int i0, int rows, float[] acc, int j0, int f0) {
        int o = f0 * n + j0;
        FloatVector c00 = FloatVector.fromArray(S, acc, o), c01 = FloatVector.fromArray(S, acc, o + L);
        FloatVector c10 = FloatVector.fromArray(S, acc, o + n), c11 = FloatVector.fromArray(S, acc, o + n + L);
        FloatVector c20 = FloatVector.fromArray(S, acc, o + 2 * n), c21 = FloatVector.fromArray(S, acc, o + 2 * n + L);
        FloatVector c30 = FloatVector.fromArray(S, acc, o + 3 * n), c31 = FloatVector.fromArray(S, acc, o + 3 * n + L);
        FloatVector c40 = FloatVector.fromArray(S, acc, o + 4 * n), c41 = FloatVector.fromArray(S, acc, o + 4 * n + L);
        FloatVector c50 = FloatVector.fromArray(S, acc, o + 5 * n), c51 = FloatVector.fromArray(S, acc, o + 5 * n + L);
        FloatVector c60 = FloatVector.fromArray(S, acc, o + 6 * n), c61 = FloatVector.fromArray(S, acc, o + 6 * n + L);
        FloatVector c70 = FloatVector.fromArray(S, acc, o + 7 * n), c71 = FloatVector.fromArray(S, acc, o + 7 * n + L);
        FloatVector c80 = FloatVector.fromArray(S, acc, o + 8 * n), c81 = FloatVector.fromArray(S, acc, o + 8 * n + L);
        FloatVector c90 = FloatVector.fromArray(S, acc, o + 9 * n), c91 = FloatVector.fromArray(S, acc, o + 9 * n + L);
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
            y = FloatVector.broadcast(S, wb[wi + 5]);
            c50 = x0.fma(y, c50);
            c51 = x1.fma(y, c51);
            y = FloatVector.broadcast(S, wb[wi + 6]);
            c60 = x0.fma(y, c60);
            c61 = x1.fma(y, c61);
            y = FloatVector.broadcast(S, wb[wi + 7]);
            c70 = x0.fma(y, c70);
            c71 = x1.fma(y, c71);
            y = FloatVector.broadcast(S, wb[wi + 8]);
            c80 = x0.fma(y, c80);
            c81 = x1.fma(y, c81);
            y = FloatVector.broadcast(S, wb[wi + 9]);
            c90 = x0.fma(y, c90);
            c91 = x1.fma(y, c91);
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
        c50.intoArray(acc, o + 5 * n);
        c51.intoArray(acc, o + 5 * n + L);
        c60.intoArray(acc, o + 6 * n);
        c61.intoArray(acc, o + 6 * n + L);
        c70.intoArray(acc, o + 7 * n);
        c71.intoArray(acc, o + 7 * n + L);
        c80.intoArray(acc, o + 8 * n);
        c81.intoArray(acc, o + 8 * n + L);
        c90.intoArray(acc, o + 9 * n);
        c91.intoArray(acc, o + 9 * n + L);
    }

    /**
     * Compiles the kernels before the first real pass (see {@link SkinnyProducts#warmUp()}); once per
     * JVM, a second caller waits for the first (NMF starts it beside its initialization, whose
     * randomized SVD asks for it too). Covers every
     * register tile of both products (k = 3 vectors - 1: a 2-vector and a 1-vector chunk of factors,
     * 10-, 5- and 1-factor groups; rows: whole tiles and tails) and the float64 projection.
     */
    static synchronized void warmUp() {
        if (warm) return;
        int n = COLS + 3, t = BLOCK + 2, k = Math.max(2 * FACTORS + 1, 3 * L - 1);
        float[] a = new float[t * n], h = new float[k * n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(h, 0.5f);
        try (ForkJoinPool single = new ForkJoinPool(1)) {
            FusedRowPass pass = new FusedRowPass(n, k, single);
            float[] wf = new float[t * k], out = new float[k * n];
            double[] projected = new double[t * k];
            org.omx.kernels.api.FloatMatrix tile = org.omx.kernels.api.FloatMatrix.wrap(a, t, n);
            for (int rep = 0; rep < 3_000; rep++) {
                pass.run(a, t, h, (i0, rows, p, wb) -> System.arraycopy(p, 0, wb, 0, rows * k), wf, out);
                if (rep % 4 == 0) pass.project(tile, rep % 8 == 0 ? null : new double[t], 0, h, projected);
            }
        }
        warm = true;
    }

    private static volatile boolean warm;
}
