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
     * Pass 1: adjacency of all features into {@code adjacency} (diagonal 0), returning the
     * connectivities k (sums of |a| for a signed TOM).
     */
    public static double[] adjacency(Backend backend, Correlation corr, NetworkType type, TomType tomType, double beta,
                                     TilePlan plan, FloatMatrix adjacency, int threads, java.util.function.LongConsumer progress) {
        int g = corr.features();
        int b = plan.blockRows();
        double[] k = new double[g];
        boolean signedTom = tomType == TomType.SIGNED && type == NetworkType.UNSIGNED;
        for (int r0 = 0; r0 < g; r0 += b) {
            int rows = Math.min(b, g - r0);
            FloatMatrix t = adjacency.rows(r0, rows);
            corr.block(backend, r0, 0, t);
            Adjacency.fromCorrelation(backend, t, type, tomType, beta);
            Adjacency.setDiagonal(t, r0, 0, 0f);
            if (signedTom) {
                int base = r0;
                Parallel.forEach(threads, rows, i -> {
                    double s = 0;
                    for (int j = 0; j < g; j++) s += Math.abs(t.get(i, j));
                    k[base + i] = s;
                });
            } else {
                double[] sums = new double[rows];
                backend.reduce(t, Reduction.SUM, Axis.ROWS, sums);
                System.arraycopy(sums, 0, k, r0, rows);
            }
            progress.accept(r0 + rows);
        }
        return k;
    }

    /** Pass 2: TOM from the adjacency (diagonal 0) and its connectivities, into {@code tom}. */
    public static void tom(Backend backend, FloatMatrix adjacency, double[] k, TomType tomType, TilePlan plan, FloatMatrix tom,
                           int threads, java.util.function.LongConsumer progress) {
        int g = adjacency.rows();
        int b = plan.blockRows();
        boolean signed = tomType == TomType.SIGNED;
        long done = 0;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix scratch = FloatMatrix.allocate(arena, b, b);
            for (int i0 = 0; i0 < g; i0 += b) {
                int ni = Math.min(b, g - i0);
                FloatMatrix ai = adjacency.rows(i0, ni);
                for (int j0 = i0; j0 < g; j0 += b) {
                    int nj = Math.min(b, g - j0);
                    FloatMatrix p = scratch.block(0, 0, ni, nj);
                    backend.gemm(Op.N, ai, Op.T, adjacency.rows(j0, nj), 1f, 0f, p, Accumulation.FLOAT32);
                    int ri = i0;
                    int rj = j0;
                    Parallel.forEach(threads, ni, i -> {
                        int gi = ri + i;
                        float[] row = new float[nj];
                        for (int j = 0; j < nj; j++) {
                            int gj = rj + j;
                            if (gi == gj) {
                                row[j] = 1f;
                                continue;
                            }
                            double a = adjacency.get(gi, gj);
                            double num = p.get(i, j) + a;
                            double den = Math.min(k[gi], k[gj]) + 1 - Math.abs(a);
                            double v = num / den;
                            row[j] = (float) (signed ? Math.abs(v) : v);
                        }
                        tom.block(gi, rj, 1, nj).setRow(0, row, 0);
                    });
                    if (j0 != i0) {
                        // mirror: TOM is symmetric, tile (J, I) is the transpose of tile (I, J)
                        Parallel.forEach(threads, nj, j -> {
                            float[] col = new float[ni];
                            for (int i = 0; i < ni; i++) col[i] = tom.get(ri + i, rj + j);
                            tom.block(rj + j, ri, 1, ni).setRow(0, col, 0);
                        });
                    }
                    progress.accept(++done);
                }
            }
        }
    }
}
