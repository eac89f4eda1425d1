package org.omx.engine.network;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;

/**
 * Turns a block of correlations into adjacencies in place, with backend element-wise maps (WGCNA
 * {@code adjacency}): unsigned {@code |r|^beta}, signed {@code ((1 + r) / 2)^beta}, signed hybrid
 * {@code max(r, 0)^beta}. For a signed TOM on an unsigned network the adjacency keeps the sign of
 * r: {@code sign(r) |r|^beta}, as WGCNA's {@code TOMsimilarityFromExpr(networkType = "unsigned",
 * TOMType = "signed")} does.
 */
public final class Adjacency {

    private Adjacency() {
    }

    /** Correlations to adjacencies, in place. */
    public static void fromCorrelation(Backend backend, FloatMatrix tile, NetworkType type, TomType tomType, double beta) {
        switch (type) {
            case UNSIGNED -> {
                if (tomType == TomType.UNSIGNED) backend.map(tile, ElementwiseOp.ABS, 0, 0, tile);
            }
            case SIGNED -> backend.map(tile, ElementwiseOp.AFFINE, 0.5, 0.5, tile);
            case SIGNED_HYBRID -> backend.map(tile, ElementwiseOp.CLAMP, 0, Double.MAX_VALUE, tile);
        }
        backend.map(tile, ElementwiseOp.SIGNED_POW, beta, 0, tile);
    }

    /** Sets the entries of the global diagonal inside a tile whose top-left element is (r0, c0) to {@code value}. */
    static void setDiagonal(FloatMatrix tile, int r0, int c0, float value) {
        int from = Math.max(r0, c0);
        int to = Math.min(r0 + tile.rows(), c0 + tile.cols());
        for (int d = from; d < to; d++) tile.set(d - r0, d - c0, value);
    }
}
