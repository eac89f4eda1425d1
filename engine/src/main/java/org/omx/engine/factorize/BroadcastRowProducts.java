package org.omx.engine.factorize;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code P = A_b H^T} for a block of rows of A, with the factors along the vector lanes: H is given
 * transposed and padded ({@code ht}, n x kp, kp a multiple of the lane count, zero beyond k), and each
 * element of A is broadcast against a row of {@code ht}. A tile of 8 rows x 2 vectors (32 factors on
 * AVX-512) holds 16 accumulators; per column of A it loads 2 vectors of H and 8 scalars of A for 16 FMAs.
 *
 * <p>Why not dot products along the rows ({@link SkinnyProducts#rowBlock}): those need a horizontal
 * sum per row and factor, and stream all of H (k x n, larger than L1) for every 2 rows. On 2,000
 * columns and 30 factors the dot form ran at ~60 GFLOP/s per core, this form at ~180 (one core, same
 * machine). The sums run sequentially in float32 over chunks of {@link #CHUNK} columns whose partial
 * sums are then added: rounding grows with the chunk length plus the number of chunks, not with n.
 */
final class BroadcastRowProducts {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per register tile. */
    static final int ROWS = 8;
    /** Columns per chunk: a chunk of {@code ht} (256 x 32 floats, 32 KB) stays in L1 across the tiles of a block. */
    static final int CHUNK = 256;

    private BroadcastRowProducts() {
    }

    /** Factors rounded up to whole vectors. */
    static int padded(int k) {
        return (k + L - 1) / L * L;
    }

    /** {@code ht (n x kp) = H^T}, zero-padded, from H (k x n, row-major). */
    static float[] transposePadded(float[] h, int k, int n, float[] ht) {
        int kp = padded(k);
        if (ht == null || ht.length != n * kp) ht = new float[n * kp];
        for (int j = 0; j < n; j++) {
            int o = j * kp;
            for (int f = 0; f < k; f++) ht[o + f] = h[f * n + j];
            for (int f = k; f < kp; f++) ht[o + f] = 0f;
        }
        return ht;
    }

    /** {@code ht (n x kp)}, zero-padded, from H^T already transposed ({@code n x k}, row-major). */
    static float[] padded(float[] hTransposed, int n, int k) {
        int kp = padded(k);
        float[] ht = new float[n * kp];
        for (int j = 0; j < n; j++) System.arraycopy(hTransposed, j * k, ht, j * kp, k);
        return ht;
    }

    /**
     * {@code pp[r kp + f] = sum_j a[(r0 + r) n + j] ht[j kp + f]} for {@code r < rows}, all kp lanes
     * (the padded ones are 0). {@code pp} holds at least rows x kp floats.
     */
    static void block(float[] a, int r0, int rows, int n, float[] ht, int kp, float[] pp) {
        java.util.Arrays.fill(pp, 0, rows * kp, 0f);
        for (int j0 = 0; j0 < n; j0 += CHUNK) chunk(a, r0, rows, n, j0, Math.min(n, j0 + CHUNK), ht, kp, pp);
    }

    /**
     * The same with the chunks' float32 partial sums added in float64 ({@code pd}, rows x kp): for
     * products that are the answer (the projection pass {@code B = A Q}), where float32 over all of n
     * would not do. {@code pp} is scratch of rows x kp floats.
     */
    static void block(float[] a, int r0, int rows, int n, float[] ht, int kp, float[] pp, double[] pd) {
        java.util.Arrays.fill(pd, 0, rows * kp, 0);
        for (int j0 = 0; j0 < n; j0 += CHUNK) {
            java.util.Arrays.fill(pp, 0, rows * kp, 0f);
            chunk(a, r0, rows, n, j0, Math.min(n, j0 + CHUNK), ht, kp, pp);
            for (int i = 0; i < rows * kp; i++) pd[i] += pp[i];
        }
    }

    /** Adds columns {@code j0 .. j1} of the products into {@code pp}. */
    private static void chunk(float[] a, int r0, int rows, int n, int j0, int j1, float[] ht, int kp, float[] pp) {
        for (int f0 = 0; f0 < kp; f0 += 2 * L) {
            boolean two = f0 + 2 * L <= kp;
            int r = 0;
            for (; r + ROWS <= rows; r += ROWS) {
                if (two) tile8x2(a, (r0 + r) * n, n, j0, j1, ht, kp, f0, pp, r * kp + f0);
                else tile8x1(a, (r0 + r) * n, n, j0, j1, ht, kp, f0, pp, r * kp + f0);
            }
            for (; r < rows; r++) {
                if (two) row2(a, (r0 + r) * n, j0, j1, ht, kp, f0, pp, r * kp + f0);
                else row1(a, (r0 + r) * n, j0, j1, ht, kp, f0, pp, r * kp + f0);
            }
        }
    }

    // Each tile is its own small method: with all of them in one, C2 stopped inlining the Vector API calls.
    // The stores are written out, not a helper call: C2 parses the unrolled loop first and, past its
    // inlining node budget (NodeCountInliningCutoff), no longer inlines plain methods (the Vector API's
    // own are force-inlined); 7 of tile8x2's 16 helper calls were left out of line, with the
    // accumulators boxed for them: 200 MB of garbage per warm randomized SVD and a slower kernel.

    private static void tile8x2(float[] a, int a0, int n, int j0, int j1, float[] ht, int kp, int f0, float[] p, int p0) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int j = j0; j < j1; j++) {
            int hj = j * kp + f0;
            FloatVector y0 = FloatVector.fromArray(S, ht, hj), y1 = FloatVector.fromArray(S, ht, hj + L);
            int o = a0 + j;
            FloatVector x = FloatVector.broadcast(S, a[o]);
            c00 = y0.fma(x, c00);
            c01 = y1.fma(x, c01);
            x = FloatVector.broadcast(S, a[o + n]);
            c10 = y0.fma(x, c10);
            c11 = y1.fma(x, c11);
            x = FloatVector.broadcast(S, a[o + 2 * n]);
            c20 = y0.fma(x, c20);
            c21 = y1.fma(x, c21);
            x = FloatVector.broadcast(S, a[o + 3 * n]);
            c30 = y0.fma(x, c30);
            c31 = y1.fma(x, c31);
            x = FloatVector.broadcast(S, a[o + 4 * n]);
            c40 = y0.fma(x, c40);
            c41 = y1.fma(x, c41);
            x = FloatVector.broadcast(S, a[o + 5 * n]);
            c50 = y0.fma(x, c50);
            c51 = y1.fma(x, c51);
            x = FloatVector.broadcast(S, a[o + 6 * n]);
            c60 = y0.fma(x, c60);
            c61 = y1.fma(x, c61);
            x = FloatVector.broadcast(S, a[o + 7 * n]);
            c70 = y0.fma(x, c70);
            c71 = y1.fma(x, c71);
        }
        c00.add(FloatVector.fromArray(S, p, p0)).intoArray(p, p0);
        c01.add(FloatVector.fromArray(S, p, p0 + L)).intoArray(p, p0 + L);
        c10.add(FloatVector.fromArray(S, p, p0 + kp)).intoArray(p, p0 + kp);
        c11.add(FloatVector.fromArray(S, p, p0 + kp + L)).intoArray(p, p0 + kp + L);
        c20.add(FloatVector.fromArray(S, p, p0 + 2 * kp)).intoArray(p, p0 + 2 * kp);
        c21.add(FloatVector.fromArray(S, p, p0 + 2 * kp + L)).intoArray(p, p0 + 2 * kp + L);
        c30.add(FloatVector.fromArray(S, p, p0 + 3 * kp)).intoArray(p, p0 + 3 * kp);
        c31.add(FloatVector.fromArray(S, p, p0 + 3 * kp + L)).intoArray(p, p0 + 3 * kp + L);
        c40.add(FloatVector.fromArray(S, p, p0 + 4 * kp)).intoArray(p, p0 + 4 * kp);
        c41.add(FloatVector.fromArray(S, p, p0 + 4 * kp + L)).intoArray(p, p0 + 4 * kp + L);
        c50.add(FloatVector.fromArray(S, p, p0 + 5 * kp)).intoArray(p, p0 + 5 * kp);
        c51.add(FloatVector.fromArray(S, p, p0 + 5 * kp + L)).intoArray(p, p0 + 5 * kp + L);
        c60.add(FloatVector.fromArray(S, p, p0 + 6 * kp)).intoArray(p, p0 + 6 * kp);
        c61.add(FloatVector.fromArray(S, p, p0 + 6 * kp + L)).intoArray(p, p0 + 6 * kp + L);
        c70.add(FloatVector.fromArray(S, p, p0 + 7 * kp)).intoArray(p, p0 + 7 * kp);
        c71.add(FloatVector.fromArray(S, p, p0 + 7 * kp + L)).intoArray(p, p0 + 7 * kp + L);
    }

    private static void tile8x1(float[] a, int a0, int n, int j0, int j1, float[] ht, int kp, int f0, float[] p, int p0) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int j = j0; j < j1; j++) {
            FloatVector y = FloatVector.fromArray(S, ht, j * kp + f0);
            int o = a0 + j;
            c0 = y.fma(FloatVector.broadcast(S, a[o]), c0);
            c1 = y.fma(FloatVector.broadcast(S, a[o + n]), c1);
            c2 = y.fma(FloatVector.broadcast(S, a[o + 2 * n]), c2);
            c3 = y.fma(FloatVector.broadcast(S, a[o + 3 * n]), c3);
            c4 = y.fma(FloatVector.broadcast(S, a[o + 4 * n]), c4);
            c5 = y.fma(FloatVector.broadcast(S, a[o + 5 * n]), c5);
            c6 = y.fma(FloatVector.broadcast(S, a[o + 6 * n]), c6);
            c7 = y.fma(FloatVector.broadcast(S, a[o + 7 * n]), c7);
        }
        c0.add(FloatVector.fromArray(S, p, p0)).intoArray(p, p0);
        c1.add(FloatVector.fromArray(S, p, p0 + kp)).intoArray(p, p0 + kp);
        c2.add(FloatVector.fromArray(S, p, p0 + 2 * kp)).intoArray(p, p0 + 2 * kp);
        c3.add(FloatVector.fromArray(S, p, p0 + 3 * kp)).intoArray(p, p0 + 3 * kp);
        c4.add(FloatVector.fromArray(S, p, p0 + 4 * kp)).intoArray(p, p0 + 4 * kp);
        c5.add(FloatVector.fromArray(S, p, p0 + 5 * kp)).intoArray(p, p0 + 5 * kp);
        c6.add(FloatVector.fromArray(S, p, p0 + 6 * kp)).intoArray(p, p0 + 6 * kp);
        c7.add(FloatVector.fromArray(S, p, p0 + 7 * kp)).intoArray(p, p0 + 7 * kp);
    }

    private static void row2(float[] a, int a0, int j0, int j1, float[] ht, int kp, int f0, float[] p, int p0) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int j = j0; j < j1; j++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + j]);
            c0 = FloatVector.fromArray(S, ht, j * kp + f0).fma(x, c0);
            c1 = FloatVector.fromArray(S, ht, j * kp + f0 + L).fma(x, c1);
        }
        c0.add(FloatVector.fromArray(S, p, p0)).intoArray(p, p0);
        c1.add(FloatVector.fromArray(S, p, p0 + L)).intoArray(p, p0 + L);
    }

    private static void row1(float[] a, int a0, int j0, int j1, float[] ht, int kp, int f0, float[] p, int p0) {
        FloatVector c = FloatVector.zero(S);
        for (int j = j0; j < j1; j++) c = FloatVector.fromArray(S, ht, j * kp + f0).fma(FloatVector.broadcast(S, a[a0 + j]), c);
        c.add(FloatVector.fromArray(S, p, p0)).intoArray(p, p0);
    }
}
