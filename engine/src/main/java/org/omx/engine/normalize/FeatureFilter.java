package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A filter: decides which features to keep (one statistics pass), then copies them in order to a
 * new store. Keeping no feature at all is an error (an empty store helps nobody); the count kept is
 * logged.
 */
abstract class FeatureFilter implements Normalization {

    abstract boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException;

    @Override
    public String units(String inputUnits) {
        return inputUnits;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        boolean[] keep = keep(in, ctx);
        long kept = 0;
        for (boolean k : keep) if (k) kept++;
        if (kept == 0) throw new InputFormatException(in.path(), name() + " " + parameters() + " keeps no feature");
        ctx.log().accept(name() + ": kept " + kept + " of " + in.rows() + " features");
        return StoreTransform.keepRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, keep);
    }

    /** Per-feature sample variances over non-missing values (backend rowMeanVariance); NaN under 2 values. */
    static double[] variances(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        double[] var = new double[(int) in.rows()];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            double[] m = new double[tile.rows()];
            double[] v = new double[tile.rows()];
            int[] c = new int[tile.rows()];
            ctx.backend().rowMeanVariance(tile, m, v, c);
            System.arraycopy(v, 0, var, (int) r0, tile.rows());
        });
        return var;
    }
}
