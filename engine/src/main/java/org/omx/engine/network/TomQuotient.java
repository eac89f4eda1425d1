package org.omx.engine.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.MemorySegment;

/**
 * The element-wise part of a TOM tile, in float32 Vector API lanes: from the product tile
 * {@code P = A_I A_J^T}, {@code TOM_ij = (p_ij + a_ij) / (min(k_i, k_j) + 1 - |a_ij|)} (absolute value
 * for a signed TOM), then the tile's rows and their transposes written to the TOM and to 1 - TOM.
 * Float32 is enough: the TOM is compared with WGCNA at 1e-4, its float rounding is about 1e-7.
 * Rows pass through heap buffers, so any matrix (mapped, native or heap) can be read or written.
 */
final class TomQuotient {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of the product tile transposed together: one cache line of each tile row per step. */
    private static final int BLOCK = 16;

    private TomQuotient() {
    }

    /** Heap rows for one thread: the tile row, the adjacency row, the complement. */
    static float[][] buffers(int n) {
        return new float[3][n];
    }

    /**
     * Row i of the product tile {@code p} (row gi of the matrix, columns c0..): TOM in place (the
     * global diagonal set to 1), then stored to {@code tom} and as 1 - TOM to {@code diss} (either null).
     */
    static void row(FloatMatrix p, int i, FloatMatrix adjacency, int gi, int c0, float[] k, boolean signed,
                    FloatMatrix tom, FloatMatrix diss, float[][] buf) {
        int n = p.cols();
        float[] pr = buf[0];
        float[] ar = buf[1];
        p.copyRow(i, pr, 0);
        MemorySegment.copy(adjacency.segment(), FloatMatrix.FLOAT, adjacency.byteOffset(gi, c0), ar, 0, n);
        float ki = k[gi];
        int j = 0;
        for (int vn = S.loopBound(n); j < vn; j += L) {
            FloatVector pv = FloatVector.fromArray(S, pr, j);
            FloatVector av = FloatVector.fromArray(S, ar, j);
            FloatVector den = FloatVector.fromArray(S, k, c0 + j).min(ki).add(1f).sub(av.abs());
            FloatVector v = pv.add(av).div(den);
            if (signed) v = v.abs();
            v.intoArray(pr, j);
        }
        for (; j < n; j++) {
            float v = (pr[j] + ar[j]) / (Math.min(ki, k[c0 + j]) + 1f - Math.abs(ar[j]));
            pr[j] = signed ? Math.abs(v) : v;
        }
        if (gi >= c0 && gi < c0 + n) pr[gi - c0] = 1f;
        p.setRow(i, pr, 0);
        if (tom != null) MemorySegment.copy(pr, 0, tom.segment(), FloatMatrix.FLOAT, tom.byteOffset(gi, c0), n);
        if (diss != null) {
            complement(pr, buf[2], n);
            MemorySegment.copy(buf[2], 0, diss.segment(), FloatMatrix.FLOAT, diss.byteOffset(gi, c0), n);
        }
    }

    /** Writes the transpose of the finished tile {@code p} at rows r0.., columns c0.. of {@code tom} and, as 1 - TOM, {@code diss}. */
    static void storeTransposed(FloatMatrix p, FloatMatrix tom, FloatMatrix diss, int r0, int c0, int threads) {
        int ni = p.rows();
        int nj = p.cols();
        int blocks = (nj + BLOCK - 1) / BLOCK;
        ThreadLocal<float[][]> buffers = ThreadLocal.withInitial(() -> new float[][]{new float[BLOCK * ni], new float[ni], new float[BLOCK]});
        Parallel.forEach(threads, blocks, blk -> {
            int j0 = blk * BLOCK;
            int w = Math.min(BLOCK, nj - j0);
            float[][] b = buffers.get();
            float[] t = b[0];
            float[] line = b[2];
            for (int i = 0; i < ni; i++) {
                MemorySegment.copy(p.segment(), FloatMatrix.FLOAT, p.byteOffset(i, j0), line, 0, w);
                for (int j = 0; j < w; j++) t[j * ni + i] = line[j];
            }
            for (int j = 0; j < w; j++) {
                if (tom != null) MemorySegment.copy(t, j * ni, tom.segment(), FloatMatrix.FLOAT, tom.byteOffset(r0 + j0 + j, c0), ni);
                if (diss != null) {
                    System.arraycopy(t, j * ni, b[1], 0, ni);
                    complement(b[1], b[1], ni);
                    MemorySegment.copy(b[1], 0, diss.segment(), FloatMatrix.FLOAT, diss.byteOffset(r0 + j0 + j, c0), ni);
                }
            }
        });
    }

    /** {@code dst[j] = 1 - src[j]} for j < n; dst may be src. */
    static void complement(float[] src, float[] dst, int n) {
        int j = 0;
        for (int vn = S.loopBound(n); j < vn; j += L) FloatVector.broadcast(S, 1f).sub(FloatVector.fromArray(S, src, j)).intoArray(dst, j);
        for (; j < n; j++) dst[j] = 1f - src[j];
    }
}
