package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.util.Map;

/**
 * Microbiome abundance filter: keeps features whose mean relative abundance (value over its
 * sample's total, averaged over samples) is at least {@code minAbundance}. Values must be
 * non-negative; an all-zero sample is an error.
 */
public final class AbundanceFilter extends FeatureFilter {

    private final double minAbundance;

    public AbundanceFilter(double minAbundance) {
        this.minAbundance = minAbundance;
    }

    @Override
    public String name() {
        return "filter-abundance";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("minAbundance", String.valueOf(minAbundance));
    }

    @Override
    boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        double[] tot = TotalSumScaling.totals(in, ctx, name());
        Counts.requireNonZero(in, tot, name());
        boolean[] keep = new boolean[(int) in.rows()];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) {
                double s = 0;
                for (int j = 0; j < tile.cols(); j++) {
                    float v = tile.get(i, j);
                    if (!Float.isNaN(v)) s += v / tot[j];
                }
                keep[(int) (r0 + i)] = s / tile.cols() >= minAbundance;
            }
        });
        return keep;
    }
}
