package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Reduction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Total-sum scaling (microbiome relative abundance): each value divided by its sample's total,
 * times {@code scale} (1 gives proportions). Values must be non-negative (counts or abundances,
 * not necessarily integers); missing values are left out of the total and stay missing; an
 * all-zero sample is an error.
 */
public final class TotalSumScaling implements Normalization {

    private final double scale;

    public TotalSumScaling(double scale) {
        this.scale = scale;
    }

    @Override
    public String name() {
        return "tss";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("scale", String.valueOf(scale));
    }

    @Override
    public String units(String inputUnits) {
        return scale == 1 ? "relative abundance" : "abundance per " + scale;
    }

    /** Column totals over non-missing values, refusing negative values; used by CLR's pseudocount checks too. */
    static double[] totals(MatrixStore s, NormalizeContext ctx, String method) throws InputFormatException {
        double[] tot = new double[s.cols()];
        double[] part = new double[s.cols()];
        StoreTransform.scan(s, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++)
                for (int j = 0; j < tile.cols(); j++) {
                    float v = tile.get(i, j);
                    if (v < 0 || v == Float.POSITIVE_INFINITY)
                        throw new InputFormatException(s.path(), method + " needs non-negative abundances, found " + v + " at feature "
                                + s.featureIds().get((int) (r0 + i)) + ", sample " + s.sampleIds().get(j));
                }
            ctx.backend().reduce(tile, Reduction.SUM, Axis.COLUMNS, part);
            for (int j = 0; j < part.length; j++) tot[j] += part[j];
        });
        return tot;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] tot = totals(in, ctx, name());
        Counts.requireNonZero(in, tot, name());
        double[] sc = new double[tot.length];
        for (int j = 0; j < tot.length; j++) sc[j] = scale / tot[j];
        return ColumnScaling.apply(in, out, overwrite, ctx, this, sc, new double[tot.length]);
    }
}
