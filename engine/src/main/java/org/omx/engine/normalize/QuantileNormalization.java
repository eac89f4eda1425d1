package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Quantile normalization (Bolstad et al. 2003) as {@code limma::normalizeQuantiles(ties = TRUE)}
 * and preprocessCore: the target distribution is the mean of the sorted samples; each value is
 * replaced by the target at its rank, and tied values share the target interpolated linearly at
 * their average rank. Agrees with limma to float32 precision on the fixtures (tolerance 1e-5).
 *
 * <p>Two column-panel passes: sorted sums, then ranks (the backend's {@code rowRanks} on the
 * sample-major panel, average ties) mapped to the target; the output is written through a
 * memory-mapped writer, one sample column at a time. Missing values are refused: impute first.
 */
public final class QuantileNormalization implements Normalization {

    /** Samples ranked per backend call in the second pass: enough to keep threads busy, small beside the panel. */
    static final int RANK_BLOCK_SAMPLES = 256;

    @Override
    public String name() {
        return "quantile";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("ties", "average");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (quantile-normalized)";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        int g = (int) in.rows();
        int n = in.cols();
        double[] target = new double[g];
        float[] sorted = new float[g];
        ColumnPanels.scan(in, ctx, (c0, panel) -> {
            for (int k = 0; k < panel.rows(); k++) {
                panel.copyRow(k, sorted, 0);
                for (int i = 0; i < g; i++)
                    if (Float.isNaN(sorted[i])) throw new InputFormatException(in.path(), "quantile normalization needs complete data, "
                            + "found a missing value at feature " + in.featureIds().get(i) + ", sample " + in.sampleIds().get(c0 + k)
                            + " (impute first, e.g. --method half-minimum or knn)");
                Arrays.sort(sorted);
                for (int i = 0; i < g; i++) target[i] += sorted[i];
            }
        });
        for (int i = 0; i < g; i++) target[i] /= n;
        try (MappedStoreWriter w = MappedStoreWriter.create(out, in.featureIds(), in.sampleIds(),
                StoreTransform.describe(in, this), overwrite)) {
            // ranks for a few samples at a time, so the rank buffer stays small beside the panel
            int block = (int) Math.max(1, Math.min(RANK_BLOCK_SAMPLES, Math.max(1, ctx.memoryBytes() / 8 / (4L * g))));
            float[] ranks = new float[Math.min(block, n) * g];
            ColumnPanels.scan(in, ctx, (c0, panel) -> {
                for (int k0 = 0; k0 < panel.rows(); k0 += block) {
                    int kn = Math.min(block, panel.rows() - k0);
                    FloatMatrix r = FloatMatrix.wrap(ranks, kn, g);
                    ctx.backend().rowRanks(panel.rows(k0, kn), r);
                    for (int k = 0; k < kn; k++) {
                        for (int i = 0; i < g; i++) {
                            double rank = r.get(k, i);   // 1-based, x.5 for an even tie group
                            int lo = (int) Math.floor(rank) - 1;
                            double h = rank - 1 - lo;
                            double v = h == 0 ? target[lo] : target[lo] + h * (target[lo + 1] - target[lo]);
                            w.set(i, c0 + k0 + k, (float) v);
                        }
                    }
                }
            });
            return w.commit();
        }
    }
}
