package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Centred log-ratio transform (Aitchison 1986) with a pseudocount for zeros:
 * {@code clr(x)_ij = ln(x_ij + c) - mean_i' ln(x_i'j + c)}, per sample over its features (natural
 * log, as compositions::clr and microbiome::transform). Values must be non-negative; missing
 * values are refused (the geometric mean of a composition with a hole is undefined).
 */
public final class Clr implements Normalization {

    private final double pseudocount;

    public Clr(double pseudocount) {
        if (!(pseudocount >= 0)) throw new IllegalArgumentException("pseudocount must be >= 0");
        this.pseudocount = pseudocount;
    }

    @Override
    public String name() {
        return "clr";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("pseudocount", String.valueOf(pseudocount), "log", "natural");
    }

    @Override
    public String units(String inputUnits) {
        return "centred log-ratio (pseudocount " + pseudocount + ")";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        int n = in.cols();
        double[] meanLog = new double[n];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++)
                for (int j = 0; j < n; j++) {
                    float v = tile.get(i, j);
                    if (!(v + pseudocount > 0) || v < 0 || v == Float.POSITIVE_INFINITY)
                        throw new InputFormatException(in.path(), "clr needs positive values after the pseudocount " + pseudocount
                                + ", found " + v + " at feature " + in.featureIds().get((int) (r0 + i)) + ", sample " + in.sampleIds().get(j)
                                + (v == 0 ? " (use --pseudocount)" : ""));
                    meanLog[j] += Math.log(v + pseudocount);
                }
        });
        for (int j = 0; j < n; j++) meanLog[j] /= in.rows();
        return StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++)
                for (int j = 0; j < n; j++) dst.set(i, j, (float) (Math.log(src.get(i, j) + pseudocount) - meanLog[j]));
        });
    }
}
