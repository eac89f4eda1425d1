package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.util.Map;

/** Keeps features with a count of at least {@code minCount} in at least {@code minSamples} samples (counts are checked). */
public final class LowCountFilter extends FeatureFilter {

    private final double minCount;
    private final int minSamples;

    public LowCountFilter(double minCount, int minSamples) {
        this.minCount = minCount;
        this.minSamples = minSamples;
    }

    @Override
    public String name() {
        return "filter-low-counts";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("minCount", String.valueOf(minCount), "minSamples", String.valueOf(minSamples));
    }

    @Override
    boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        boolean[] keep = new boolean[(int) in.rows()];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            Counts.check(in, tile, r0, name());
            for (int i = 0; i < tile.rows(); i++) {
                int c = 0;
                for (int j = 0; j < tile.cols(); j++) if (tile.get(i, j) >= minCount) c++;
                keep[(int) (r0 + i)] = c >= minSamples;
            }
        });
        return keep;
    }
}
