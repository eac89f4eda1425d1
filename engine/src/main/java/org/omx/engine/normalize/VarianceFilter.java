package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.util.Map;

/**
 * Keeps features whose sample variance (non-missing values) is above {@code minVariance}; a
 * feature with fewer than two values (variance undefined) is dropped.
 */
public final class VarianceFilter extends FeatureFilter {

    private final double minVariance;

    public VarianceFilter(double minVariance) {
        this.minVariance = minVariance;
    }

    @Override
    public String name() {
        return "filter-variance";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("minVariance", String.valueOf(minVariance));
    }

    @Override
    boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        double[] var = variances(in, ctx);
        boolean[] keep = new boolean[var.length];
        for (int i = 0; i < var.length; i++) keep[i] = var[i] > minVariance;
        return keep;
    }
}
