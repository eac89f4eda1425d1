package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

/**
 * sgemm_nt_128x128's index arithmetic, replayed in Java without a GPU: a line-by-line emulation of
 * the kernel (every block, all 256 threads in lock-step between barriers, shared-memory tiles and
 * the register prefetch) run on zero-padded ragged operands, compared with a plain double product.
 * It cannot prove the PTX right (ptxas validates that it compiles; the GPU self-check runs it), but
 * a wrong tile-to-element mapping, load offset or store index fails here.
 */
class SgemmNtEmulationTest {

    private static final int BM = 128, BN = 128, BK = 8, TM = 8, TN = 8, THREADS = 256;

    /** The kernel for one launch of geometry {@code g}; {@code aOff} is A's start (in floats) within {@code a}. */
    static int[] emulate(LaunchGeometry g, float[] a, long aOff, float[] b, float[] c, int mPad, int nPad, int kPad,
                         float alpha, float beta) {
        int[] writes = new int[mPad * nPad];
        for (int by = 0; by < g.gridY(); by++)
            for (int bx = 0; bx < g.gridX(); bx++) {
                float[][][] as = new float[2][BK][BM];
                float[][][] bs = new float[2][BK][BN];
                float[][][] acc = new float[THREADS][TM][TN];
                float[][] aNext = new float[THREADS][4];
                float[][] bNext = new float[THREADS][4];
                int rowBase = by * BM, colBase = bx * BN;
                for (int tid = 0; tid < THREADS; tid++) {
                    load(a, aOff + (long) (rowBase + (tid >> 1)) * kPad + ((tid & 1) << 2), aNext[tid]);
                    load(b, (long) (colBase + (tid >> 1)) * kPad + ((tid & 1) << 2), bNext[tid]);
                    store(as[0], bs[0], tid, aNext[tid], bNext[tid]);
                }
                int buf = 0;
                for (int k0 = 0; k0 < kPad; k0 += BK) {
                    boolean more = k0 + BK < kPad;
                    for (int tid = 0; tid < THREADS; tid++) {
                        if (more) {
                            load(a, aOff + (long) (rowBase + (tid >> 1)) * kPad + ((tid & 1) << 2) + k0 + BK, aNext[tid]);
                            load(b, (long) (colBase + (tid >> 1)) * kPad + ((tid & 1) << 2) + k0 + BK, bNext[tid]);
                        }
                        int tx = tid % 16, ty = tid / 16;
                        for (int p = 0; p < BK; p++) {
                            float[] ra = new float[TM], rb = new float[TN];
                            for (int q = 0; q < 4; q++) {
                                ra[q] = as[buf][p][ty * 4 + q];
                                ra[4 + q] = as[buf][p][ty * 4 + 64 + q];
                                rb[q] = bs[buf][p][tx * 4 + q];
                                rb[4 + q] = bs[buf][p][tx * 4 + 64 + q];
                            }
                            for (int i = 0; i < TM; i++)
                                for (int j = 0; j < TN; j++) acc[tid][i][j] = Math.fma(ra[i], rb[j], acc[tid][i][j]);
                        }
                    }
                    if (more) { // after the barrier every thread stores into the other buffer
                        for (int tid = 0; tid < THREADS; tid++) store(as[buf ^ 1], bs[buf ^ 1], tid, aNext[tid], bNext[tid]);
                        buf ^= 1;
                    }
                }
                for (int tid = 0; tid < THREADS; tid++) {
                    int tx = tid % 16, ty = tid / 16;
                    for (int i = 0; i < TM; i++) {
                        int r = rowBase + ty * 4 + (i < 4 ? i : 60 + i);
                        for (int h = 0; h < 2; h++)
                            for (int q = 0; q < 4; q++) {
                                int idx = r * nPad + colBase + tx * 4 + h * 64 + q;
                                float v = alpha * acc[tid][i][h * 4 + q];
                                if (beta != 0f) v = Math.fma(beta, c[idx], v);
                                c[idx] = v;
                                writes[idx]++;
                            }
                    }
                }
            }
        return writes;
    }

    private static void load(float[] src, long at, float[] dst4) {
        assertEquals(0, at % 4, "float4 load not 16-byte aligned at " + at);
        for (int q = 0; q < 4; q++) dst4[q] = src[(int) at + q];
    }

    private static void store(float[][] as, float[][] bs, int tid, float[] a4, float[] b4) {
        int row = tid >> 1, col = (tid & 1) << 2;
        for (int q = 0; q < 4; q++) {
            as[col + q][row] = a4[q];
            bs[col + q][row] = b4[q];
        }
    }

    private static FloatMatrix random(Arena arena, SplittableRandom rnd, int rows, int cols) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    private static float[] packRows(Op op, FloatMatrix m, int rows, int rowsPad, int k, int kPad) {
        MemorySegment dst = MemorySegment.ofArray(new float[rowsPad * kPad]);
        HostPacking.packRowsPadded(op, m, 0, rows, rowsPad, k, kPad, dst, 1);
        return dst.toArray(FloatMatrix.FLOAT);
    }

    @Test
    void ragged_nt_product_matches_a_double_reference_and_writes_each_element_once() {
        int m = 200, n = 131, k = 21; // none a multiple of the tiles
        int mPad = LaunchGeometry.roundUp(m, 128), nPad = LaunchGeometry.roundUp(n, 128), kPad = LaunchGeometry.roundUp(k, 8);
        SplittableRandom rnd = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = random(arena, rnd, m, k);
            FloatMatrix bt = random(arena, rnd, k, n); // stored k x n: op(B) = N, so the pack transposes it
            float[] pa = packRows(Op.N, a, m, mPad, k, kPad);
            float[] pb = packRows(Op.T, bt, n, nPad, k, kPad);
            float[] c = new float[mPad * nPad];
            java.util.Arrays.fill(c, Float.NaN); // beta = 0: C must not be read
            int[] writes = emulate(LaunchGeometry.sgemmNt(mPad, nPad), pa, 0, pb, c, mPad, nPad, kPad, 0.5f, 0f);
            for (int i = 0; i < mPad; i++)
                for (int j = 0; j < nPad; j++) {
                    assertEquals(1, writes[i * nPad + j], "(" + i + "," + j + ") written once");
                    double want = 0;
                    if (i < m && j < n) for (int p = 0; p < k; p++) want += (double) a.get(i, p) * bt.get(p, j);
                    assertEquals(0.5 * want, c[i * nPad + j], 1e-6 * k, "(" + i + "," + j + ")"); // |terms| <= 1
                }
        }
    }

    @Test
    void shared_operand_panel_reads_a_from_inside_b_and_beta_accumulates() {
        int n = 300, k = 16; // Z is 300 x 16: C rows 128..255 of Z Z^T, A pointing at Z's row 128
        int nPad = LaunchGeometry.roundUp(n, 128);
        SplittableRandom rnd = new SplittableRandom(12);
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix z = random(arena, rnd, n, k);
            float[] pz = packRows(Op.N, z, n, nPad, k, k);
            float[] c = new float[128 * nPad];
            java.util.Arrays.fill(c, 2f);
            emulate(LaunchGeometry.sgemmNt(128, nPad), pz, 128L * k, pz, c, 128, nPad, k, 1f, -1f);
            for (int i = 0; i < 128; i++)
                for (int j = 0; j < n; j++) {
                    double want = -2;
                    for (int p = 0; p < k; p++) want += (double) z.get(128 + i, p) * z.get(j, p);
                    assertEquals(want, c[i * nPad + j], 1e-5, "(" + i + "," + j + ")");
                }
            assertTrue(c[nPad - 1] == -2f, "padding columns hold 0 * 0 - 2");
        }
    }
}
