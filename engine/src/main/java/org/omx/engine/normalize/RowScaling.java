package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Per-feature centring and scaling, {@code (x - mean) / sd^power}, with the backend's
 * {@code rowMeanVariance} and {@code scaleRows} on each tile (one pass: a row's statistics need only
 * that row). Power 1 is z-scoring (auto-scaling), 0.5 Pareto scaling (van den Berg et al. 2006).
 * Stated handling: a feature with zero variance becomes all zeros (centred, not divided by 0), a
 * feature with fewer than two values stays missing; each case is counted and logged once.
 */
final class RowScaling {

    private RowScaling() {
    }

    static StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx, Normalization method,
                           double power) throws IOException, InputFormatException {
        long[] zeroVar = new long[1];
        long[] tooFew = new long[1];
        StoreMeta meta = StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, method), ctx, (src, dst, r0) -> {
            int n = src.rows();
            double[] mean = new double[n];
            double[] var = new double[n];
            int[] count = new int[n];
            ctx.backend().rowMeanVariance(src, mean, var, count);
            double[] scale = new double[n];
            double[] shift = new double[n];
            for (int i = 0; i < n; i++) {
                if (count[i] < 2) {
                    tooFew[0]++;
                    scale[i] = Double.NaN;
                    shift[i] = Double.NaN;
                    continue;
                }
                double sd = Math.sqrt(var[i]);
                if (sd == 0) zeroVar[0]++;
                scale[i] = sd > 0 ? 1 / Math.pow(sd, power) : 0;
                shift[i] = sd > 0 ? -mean[i] * scale[i] : 0;
            }
            ctx.backend().scaleRows(src, scale, shift, dst);
        });
        if (zeroVar[0] > 0) ctx.log().accept(method.name() + ": " + zeroVar[0] + " features with zero variance set to 0");
        if (tooFew[0] > 0) ctx.log().accept(method.name() + ": " + tooFew[0] + " features with fewer than 2 values left missing");
        return meta;
    }
}
