package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * Keeps the {@code n} most variable features (sample variance over non-missing values), in their
 * original order; ties at the cut go to the earlier feature; features with undefined variance
 * come last.
 */
public final class TopVariance extends FeatureFilter {

    private final int n;

    public TopVariance(int n) {
        if (n < 1) throw new IllegalArgumentException("top-N needs N >= 1");
        this.n = n;
    }

    @Override
    public String name() {
        return "filter-top-variance";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("n", String.valueOf(n));
    }

    @Override
    boolean[] keep(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        double[] var = variances(in, ctx);
        Integer[] idx = new Integer[var.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> Double.isNaN(var[i]) ? Double.NEGATIVE_INFINITY : -var[i]));
        boolean[] keep = new boolean[var.length];
        for (int k = 0; k < Math.min(n, idx.length); k++) keep[idx[k]] = true;
        return keep;
    }
}
