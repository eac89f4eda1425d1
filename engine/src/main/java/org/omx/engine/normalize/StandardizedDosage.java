package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The standardized dosage used by PCA and genomic relationship matrices (Yang et al. 2011):
 * {@code (g - 2p) / sqrt(2p(1 - p))}, with p the A1 frequency over the variant's non-missing calls,
 * as one {@code scaleRows} on the backend per tile. Stated handling: a missing call becomes 0 (the
 * mean, as GCTA does), a monomorphic variant (p = 0 or 1) becomes all 0; both are counted and
 * logged. Dosages must lie in [0, 2].
 */
public final class StandardizedDosage implements Normalization {

    @Override
    public String name() {
        return "standardize-dosage";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("formula", "(g - 2p) / sqrt(2p(1-p))", "missing", "0");
    }

    @Override
    public String units(String inputUnits) {
        return "standardized dosage";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        long[] mono = new long[1];
        long[] missing = new long[1];
        StoreMeta meta = StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            int n = src.rows();
            double[] scale = new double[n];
            double[] shift = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                int called = 0;
                for (int j = 0; j < src.cols(); j++) {
                    float g = src.get(i, j);
                    if (Float.isNaN(g)) {
                        missing[0]++;
                        continue;
                    }
                    if (g < 0 || g > 2) throw new InputFormatException(in.path(), "standardize-dosage needs dosages in [0, 2], found " + g
                            + " at variant " + in.featureIds().get((int) (r0 + i)) + ", sample " + in.sampleIds().get(j));
                    sum += g;
                    called++;
                }
                double p = called == 0 ? 0 : sum / (2.0 * called);
                double sd = Math.sqrt(2 * p * (1 - p));
                if (!(sd > 0)) {
                    mono[0]++;
                    scale[i] = 0;
                    shift[i] = 0;
                } else {
                    scale[i] = 1 / sd;
                    shift[i] = -2 * p / sd;
                }
            }
            ctx.backend().scaleRows(src, scale, shift, dst);
            ctx.backend().map(dst, org.omx.kernels.api.ElementwiseOp.FILL_MISSING, 0, 0, dst);
        });
        if (missing[0] > 0) ctx.log().accept("standardize-dosage: " + missing[0] + " missing calls set to 0 (the variant mean)");
        if (mono[0] > 0) ctx.log().accept("standardize-dosage: " + mono[0] + " monomorphic variants set to 0");
        return meta;
    }
}
