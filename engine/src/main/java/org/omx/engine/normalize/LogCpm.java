package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * log2 counts per million with edgeR's prior count ({@code cpm(y, log = TRUE, prior.count = 2)}):
 * the prior is scaled to each library, {@code p_j = prior * L_j / mean(L)}, the library is
 * enlarged by {@code 2 p_j}, and the value is {@code log2((y + p_j) / (L_j + 2 p_j) * 1e6)}, where
 * {@code L_j} is the effective (TMM-normalized, if chosen) library size. Zero counts thus give a
 * finite value. Agrees with edgeR to float32 precision on the fixtures.
 */
public final class LogCpm implements Normalization {

    private final boolean tmm;
    private final double priorCount;

    public LogCpm(boolean tmm, double priorCount) {
        if (!(priorCount > 0)) throw new IllegalArgumentException("prior count must be positive, got " + priorCount);
        this.tmm = tmm;
        this.priorCount = priorCount;
    }

    @Override
    public String name() {
        return "logcpm";
    }

    @Override
    public Map<String, String> parameters() {
        return Cpm.params(tmm, priorCount);
    }

    @Override
    public String units(String inputUnits) {
        return "log2 CPM (prior count " + priorCount + (tmm ? ", TMM)" : ")");
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] eff = Cpm.effectiveLibrarySizes(in, tmm, ctx, name());
        int n = eff.length;
        double mean = 0;
        for (double x : eff) mean += x;
        mean /= n;
        double[] prior = new double[n];
        double[] logLib = new double[n];
        for (int j = 0; j < n; j++) {
            prior[j] = priorCount * eff[j] / mean;
            logLib[j] = Math.log(eff[j] + 2 * prior[j]);
        }
        double log1e6 = Math.log(1e6);
        double ln2 = Math.log(2);
        return StoreTransform.mapRowArrays(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, from, to, cols) -> {
            for (int i = from; i < to; i++)
                for (int j = 0, p = i * cols; j < cols; j++, p++)
                    dst[p] = (float) ((Math.log(src[p] + prior[j]) - logLib[j] + log1e6) / ln2);
        });
    }
}
