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
        fromCorrelation(backend, tile, type, tomType, beta, 1);
    }

    /**
     * As above; an integer power up to 64 is taken by repeated squaring in double on the engine side
     * over {@code threads} (the backend's SIGNED_POW is Math.pow per element, several times slower),
     * the result identical to float32 rounding of the exact power within an ulp or two.
     */
    public static void fromCorrelation(Backend backend, FloatMatrix tile, NetworkType type, TomType tomType, double beta, int threads) {
        switch (type) {
            case UNSIGNED -> {
                if (tomType == TomType.UNSIGNED) backend.map(tile, ElementwiseOp.ABS, 0, 0, tile);
            }
            case SIGNED -> backend.map(tile, ElementwiseOp.AFFINE, 0.5, 0.5, tile);
            case SIGNED_HYBRID -> backend.map(tile, ElementwiseOp.CLAMP, 0, Double.MAX_VALUE, tile);
        }
        if (beta == Math.rint(beta) && beta >= 1 && beta <= 64) integerPower(tile, (int) beta, threads);
        else backend.map(tile, ElementwiseOp.SIGNED_POW, beta, 0, tile);
    }

    /** {@code sign(x) |x|^e} for a positive integer e, row by row. */
    static void integerPower(FloatMatrix tile, int e, int threads) {
        int cols = tile.cols();
        Parallel.forEach(threads, tile.rows(), i -> {
            float[] row = new float[cols];
            tile.copyRow(i, row, 0);
            for (int j = 0; j < cols; j++) {
                double x = row[j];
                double base = Math.abs(x);
                double r = 1;
                for (int k = e; k > 0; k >>= 1) {
                    if ((k & 1) != 0) r *= base;
                    base *= base;
                }
                row[j] = (float) (x < 0 ? -r : r);   // NaN stays NaN through the products
            }
            tile.setRow(i, row, 0);
        });
    }

    /** Sets the entries of the global diagonal inside a tile whose top-left element is (r0, c0) to {@code value}. */
    static void setDiagonal(FloatMatrix tile, int r0, int c0, float value) {
        int from = Math.max(r0, c0);
        int to = Math.min(r0 + tile.rows(), c0 + tile.cols());
        for (int d = from; d < to; d++) tile.set(d - r0, d - c0, value);
    }
}
