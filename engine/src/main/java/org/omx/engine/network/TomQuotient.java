package org.omx.engine.network;

import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.MemorySegment;

/**
 * The element-wise part of a TOM tile, in plain float32 loops (C2 vectorizes them; unlike Vector API
 * code they run at a useful speed in C1 too, before C2 has compiled them): from the product tile
 * {@code P = A_I A_J^T}, {@code TOM_ij = (p_ij + a_ij) / (min(k_i, k_j) + 1 - |a_ij|)} (absolute value
 * for a signed TOM), then the tile's rows and their transposes written to the TOM.
 * Float32 is enough: the TOM is compared with WGCNA at 1e-4, its float rounding is about 1e-7.
 * Rows pass through heap buffers, so any matrix (mapped, native or heap) can be read or written.
 */
final class TomQuotient {

    /** Tile rows transposed together: each destination row receives this many contiguous values (four cache lines). */
    private static final int BLOCK = 64;

    private TomQuotient() {
    }

    /** Heap rows for one thread: the tile row, the adjacency row. */
    static float[][] buffers(int n) {
        return new float[2][n];
    }

    /**
     * Row i of the product tile {@code p} (row gi of the matrix, columns c0..): TOM in place (the
     * global diagonal set to 1), then stored to {@code tom}.
     */
    static void row(FloatMatrix p, int i, FloatMatrix adjacency, int gi, int c0, float[] k, boolean signed,
                    FloatMatrix tom, float[][] buf) {
        int n = p.cols();
        float[] pr = buf[0];
        float[] ar = buf[1];
        p.copyRow(i, pr, 0);
        MemorySegment.copy(adjacency.segment(), FloatMatrix.FLOAT, adjacency.byteOffset(gi, c0), ar, 0, n);
        float ki = k[gi];
        for (int j = 0; j < n; j++) {
            float v = (pr[j] + ar[j]) / (Math.min(ki, k[c0 + j]) + 1f - Math.abs(ar[j]));
            pr[j] = signed ? Math.abs(v) : v;
        }
        if (gi >= c0 && gi < c0 + n) pr[gi - c0] = 1f;
        p.setRow(i, pr, 0);
        MemorySegment.copy(pr, 0, tom.segment(), FloatMatrix.FLOAT, tom.byteOffset(gi, c0), n);
    }

    /**
     * Writes the transpose of the finished tile {@code p} ({@code ni x nj}) at rows r0.., columns c0.. of
     * {@code out} (the TOM, or the correlation pass's mirror): blocks of BLOCK tile rows are copied to the
     * heap, and each destination row receives BLOCK contiguous values per block.
     */
    static void transposeInto(FloatMatrix p, FloatMatrix out, int r0, int c0, int threads) {
        int ni = p.rows();
        int nj = p.cols();
        int blocks = (ni + BLOCK - 1) / BLOCK;
        ThreadLocal<float[][]> buffers = ThreadLocal.withInitial(() -> new float[][]{new float[BLOCK * nj], new float[BLOCK]});
        Parallel.forEach(threads, blocks, blk -> {
            int i0 = blk * BLOCK;
            int h = Math.min(BLOCK, ni - i0);
            float[][] b = buffers.get();
            float[] rows = b[0];
            float[] line = b[1];
            for (int i = 0; i < h; i++) p.copyRow(i0 + i, rows, i * nj);
            for (int j = 0; j < nj; j++) {
                for (int i = 0; i < h; i++) line[i] = rows[i * nj + j];
                MemorySegment.copy(line, 0, out.segment(), FloatMatrix.FLOAT, out.byteOffset(r0 + j, c0 + i0), h);
            }
        });
    }

    /** {@code x[j] = 1 - x[j]} for j < n, in place. */
    static void complement(float[] x, int n) {
        for (int j = 0; j < n; j++) x[j] = 1f - x[j];
    }
}
