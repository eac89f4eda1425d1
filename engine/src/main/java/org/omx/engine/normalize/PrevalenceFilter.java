package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.util.Map;

/**
 * Microbiome prevalence filter: keeps features detected (value above {@code detection}) in at
 * least a fraction {@code minPrevalence} of samples; missing values count as not detected.
 */
public final class PrevalenceFilter extends FeatureFilter {

    private final double detection;
    private final double minPrevalence;

    public PrevalenceFilter(double detection, double minPrevalence) {
        this.detection = detection;
        this.minPrevalence = minPrevalence;
    }

    @Override
    public String name() {
        return "filter-prevalence";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("detection", String.valueOf(detection), "minPrevalence", String.valueOf(minPrevalence));
    }

    @Override
    boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        boolean[] keep = new boolean[(int) in.rows()];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) {
                int c = 0;
                for (int j = 0; j < tile.cols(); j++) if (tile.get(i, j) > detection) c++;
                keep[(int) (r0 + i)] = c >= minPrevalence * tile.cols();
            }
        });
        return keep;
    }
}
