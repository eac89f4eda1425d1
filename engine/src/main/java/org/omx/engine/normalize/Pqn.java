package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Probabilistic quotient normalization (Dieterle et al. 2006) for metabolomics: the reference
 * spectrum is the median of each feature over samples; each sample's dilution factor is the
 * median, over features where both are positive and present, of its quotients to the reference;
 * the sample is divided by it. (Dieterle's optional total-area step first is the separate
 * {@code tss} method.) Missing values are skipped and stay missing; a sample with no usable
 * quotient is an error, and so is a negative value (intensities on a log or centred scale give
 * meaningless quotients: PQN comes before the log).
 */
public final class Pqn implements Normalization {

    @Override
    public String name() {
        return "pqn";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("reference", "median");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (PQN)";
    }

    /** Per-sample dilution factors. */
    public static double[] dilutionFactors(MatrixStore in, NormalizeContext ctx) throws InputFormatException {
        int g = (int) in.rows();
        int n = in.cols();
        double[] ref = new double[g];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            double[] row = new double[n];
            for (int i = 0; i < tile.rows(); i++) {
                int m = 0;
                for (int j = 0; j < n; j++) {
                    float v = tile.get(i, j);
                    if (v < 0) throw new InputFormatException(in.path(), "pqn needs non-negative intensities (before any log), found "
                            + v + " at feature " + in.featureIds().get((int) (r0 + i)) + ", sample " + in.sampleIds().get(j));
                    if (!Float.isNaN(v)) row[m++] = v;
                }
                ref[(int) (r0 + i)] = Ranks.median(row, m);
            }
        });
        double[] factor = new double[n];
        double[] q = new double[g];
        ColumnPanels.scan(in, ctx, (c0, panel) -> {
            for (int k = 0; k < panel.rows(); k++) {
                int m = 0;
                for (int i = 0; i < g; i++) {
                    float v = panel.get(k, i);
                    if (v > 0 && ref[i] > 0 && Float.isFinite(v)) q[m++] = v / ref[i];
                }
                factor[c0 + k] = Ranks.median(q, m);
            }
        });
        ColumnScaling.requireValues(in, factor, "pqn", "positive value where the reference is positive");
        return factor;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] f = dilutionFactors(in, ctx);
        double[] scale = new double[f.length];
        for (int j = 0; j < f.length; j++) scale[j] = 1 / f[j];
        return ColumnScaling.apply(in, out, overwrite, ctx, this, scale, new double[f.length]);
    }
}
