package org.omx.engine.network;

import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The topological overlap matrix (Zhang and Horvath 2005; WGCNA {@code TOMsimilarity}, TOMDenom = "min"):
 * <pre>
 *   TOM_ij = (a_ij + sum_{u != i,j} a_iu a_uj) / (min(k_i, k_j) + 1 - a_ij),   k_i = sum_{j != i} a_ij,
 *   TOM_ii = 1,
 * </pre>
 * and for TOMType "signed", where adjacencies carry the sign of the correlation,
 * {@code |a_ij + sum a_iu a_uj| / (min(k_i, k_j) + 1 - |a_ij|)} with {@code k_i = sum_{j != i} |a_ij|}.
 *
 * <p>With the adjacency's diagonal set to 0, {@code sum_{u != i,j} a_iu a_uj} is exactly
 * {@code (A A^T)_ij}, so the TOM is computed as tiled products: pass 1 writes adjacency row blocks
 * (one correlation GEMM each) into a features x features matrix on disk and sums the connectivities;
 * pass 2 multiplies pairs of adjacency row blocks {@code A_I A_J^T} (upper triangle of blocks, each
 * result mirrored) and writes TOM tiles. Both matrices are mapped files: only the blocks in use are
 * resident, so the network is exact for all features at any size, under the tile plan's memory.
 */
public final class TopologicalOverlap {

    private TopologicalOverlap() {
    }

    /** A features x features float32 matrix to write into: a mapped store writer's data, or memory. */
    public static FloatMatrix square(MemorySegment data, int features) {
        return new FloatMatrix(data, 0, features, features, features);
    }

    /**
     * Drops the pages of rows {@code [r0, r0 + count)} of a mapped matrix from this process's resident set
     * (madvise DONTNEED through {@link MemorySegment#unload()}): the data stays in the file and the page
     * cache, a later read maps it back. Keeps the resident set of a pass at its tiles in use, as the tile
     * plan counts it, instead of every page the pass has touched. A no-op for memory that is not mapped.
     */
    public static void release(FloatMatrix m, int r0, int count) {
        MemorySegment s = m.segment();
        if (count <= 0 || m.cols() == 0 || !s.isMapped()) return;
        long from = m.byteOffset(r0, 0);
        long len = 4L * ((long) (count - 1) * m.rowStride() + m.cols());
        s.asSlice(from, len).unload();
    }

    /**
     * Pass 1: adjacency of all features into {@code adjacency} (diagonal 0), returning the
     * connectivities k (sums of |a| for a signed TOM). See {@link AdjacencyPass}.
     */
    public static double[] adjacency(Backend backend, Correlation corr, NetworkType type, TomType tomType, double beta,
                                     TilePlan plan, FloatMatrix adjacency, int threads, java.util.function.LongConsumer progress) {
        return AdjacencyPass.run(backend, corr, new AdjacencyPass.Work(type, tomType, beta, null), null, tomBlockRows(plan),
                chunkRows(plan, corr), adjacency, threads, progress);
    }

    /**
     * Rows of one tall correlation product in the adjacency pass: the whole panel in memory, a tile of
     * mapped files (and always with pairwise correlations, whose six products each take a buffer).
     */
    static int chunkRows(TilePlan plan, Correlation corr) {
        return plan.inMemory() && !corr.pairwise() ? plan.features() : tomBlockRows(plan);
    }

    /**
     * Tile size of the TOM pass: the plan's rows, but at most about a quarter of the features (a multiple
     * of 64, at least 256), so that only the upper triangle of tiles is multiplied (10 of 16 tile
     * products at 4 row blocks: 5/8 of the full product's FLOPs), each result mirrored from memory.
     */
    static int tomBlockRows(TilePlan plan) {
        return TilePlan.tomRows(plan.features(), plan.blockRows());
    }

    /**
     * {@code out = 1 - tom} (the clustering's dissimilarity), row strips on the pool, both matrices'
     * pages released strip by strip. The TOM pass could write it as it goes, but only into a third
     * features x features matrix: the adjacency it reads is still needed then, and {@code out} is the
     * adjacency's storage.
     */
    static void complement(FloatMatrix tom, FloatMatrix out, int stripRows, int threads) {
        int g = tom.rows();
        ThreadLocal<float[]> rows = ThreadLocal.withInitial(() -> new float[g]);
        for (int i0 = 0; i0 < g; i0 += stripRows) {
            int ni = Math.min(stripRows, g - i0), base = i0;
            Parallel.forEach(threads, ni, i -> {
                float[] r = rows.get();
                tom.copyRow(base + i, r, 0);
                TomQuotient.complement(r, g);
                out.setRow(base + i, r, 0);
            });
            release(tom, i0, ni);
            release(out, i0, ni);
        }
    }

    /**
     * Pass 2: TOM from the adjacency (diagonal 0) and its connectivities, into {@code tom} (the
     * clustering's 1 - TOM follows from it, see {@link #complement}).
     *
     * <p>Column panels J of t features: the part of {@code A A^T} on and below the diagonal block,
     * {@code A_[j0, g) A_J^T}, is computed as tall products of {@code chunk} rows (the whole panel when
     * the matrices are in memory, t rows of mapped files otherwise), and each result is stored at rows
     * I, columns J and, transposed, at rows J, columns I. A tall product packs its small right operand
     * once per GEMM task instead of once per square tile: packing had cost more than the arithmetic.
     */
    public static void tom(Backend backend, FloatMatrix adjacency, double[] k, TomType tomType, TilePlan plan, FloatMatrix tom,
                           int threads, java.util.function.LongConsumer progress) {
        int g = adjacency.rows();
        int b = tomBlockRows(plan);
        int chunk = plan.inMemory() ? g : b;
        boolean signed = tomType == TomType.SIGNED;
        float[] kf = new float[g];
        for (int i = 0; i < g; i++) kf[i] = (float) k[i];
        long done = 0;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix scratch = AnonymousMemory.allocate(arena, Math.min(chunk, g), b);
            for (int j0 = 0; j0 < g; j0 += b) {
                int nj = Math.min(b, g - j0);
                FloatMatrix aj = adjacency.rows(j0, nj);
                for (int i0 = j0; i0 < g; i0 += chunk) {
                    int ni = Math.min(chunk, g - i0);
                    FloatMatrix p = scratch.block(0, 0, ni, nj);
                    backend.gemm(Op.N, adjacency.rows(i0, ni), Op.T, aj, 1f, 0f, p, Accumulation.FLOAT32);
                    int ri = i0;
                    int rj = j0;
                    ThreadLocal<float[][]> buffers = ThreadLocal.withInitial(() -> TomQuotient.buffers(nj));
                    Parallel.forEach(threads, ni, i -> TomQuotient.row(p, i, adjacency, ri + i, rj, kf, signed, tom, buffers.get()));
                    // TOM is symmetric: rows below the diagonal block, transposed, are rows J right of it
                    int skip = Math.max(0, j0 + nj - i0);
                    if (skip < ni) TomQuotient.transposeInto(p.rows(skip, ni - skip), tom, rj, ri + skip, threads);
                    if (i0 != j0) {
                        release(adjacency, i0, ni);
                        release(tom, i0, ni);
                    }
                    done += (ni + b - 1) / b;
                    progress.accept(done);
                }
                release(adjacency, j0, nj);
                release(tom, j0, nj);
            }
        }
    }
}
