package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

/**
 * TMM normalization factors (Robinson and Oshlack 2010) exactly as edgeR 3.40's
 * {@code calcNormFactors(method = "TMM")} with its defaults (logratioTrim 0.3, sumTrim 0.05,
 * precision weighting, no A cutoff): the reference sample is the one whose upper-quartile
 * fraction is closest to the mean over samples (upper quartiles over genes that are not zero in
 * every sample); each sample's log ratio against it is trimmed 30 % by M and 5 % by A, and the
 * weighted mean is exponentiated; the factors are scaled to geometric mean 1. Agrees with edgeR
 * to 1e-12 on the fixtures (the tests require 1e-6).
 *
 * <p>Out of core: pass 1 streams library sizes; then two column-panel passes (upper quartiles;
 * trimmed means against the reference column, read once).
 */
public final class TmmFactors {

    static final double LOGRATIO_TRIM = 0.3;
    static final double SUM_TRIM = 0.05;

    private TmmFactors() {
    }

    /** Factors for every sample given the library sizes (from {@link LibrarySize}). */
    public static double[] compute(MatrixStore s, double[] lib, NormalizeContext ctx) throws InputFormatException {
        int g = (int) s.rows();
        int n = s.cols();
        if (n == 1) return new double[]{1};
        // genes zero in every sample are left out of the upper quartiles (edgeR drops them first)
        boolean[] allZero = new boolean[g];
        double[] sqrtSum = new double[n];
        StoreTransform.scan(s, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) {
                boolean zero = true;
                for (int j = 0; j < n; j++) {
                    float v = tile.get(i, j);
                    if (v != 0) zero = false;
                    sqrtSum[j] += Math.sqrt(v);
                }
                allZero[(int) (r0 + i)] = zero;
            }
        });
        double[] f75 = new double[n];
        double[] col = new double[g];
        ColumnPanels.scan(s, ctx, (c0, panel) -> {
            for (int k = 0; k < panel.rows(); k++) {
                int m = 0;
                for (int i = 0; i < g; i++) if (!allZero[i]) col[m++] = panel.get(k, i);
                f75[c0 + k] = m == 0 ? 0 : Ranks.quantile7(col, m, 0.75) / lib[c0 + k];
            }
        });
        int refColumn = referenceColumn(f75, sqrtSum);
        ctx.log().accept("tmm: reference sample " + s.sampleIds().get(refColumn) + " (upper quartile closest to the mean)");
        double[] ref = new double[g];
        for (int i = 0; i < g; i++) ref[i] = s.get(i, refColumn);
        double[] f = new double[n];
        double[] obs = new double[g];
        ColumnPanels.scan(s, ctx, (c0, panel) -> {
            for (int k = 0; k < panel.rows(); k++) {
                for (int i = 0; i < g; i++) obs[i] = panel.get(k, i);
                f[c0 + k] = factor(obs, ref, lib[c0 + k], lib[refColumn]);
            }
        });
        double meanLog = 0;
        for (double x : f) meanLog += Math.log(x);
        meanLog /= n;
        for (int j = 0; j < n; j++) f[j] /= Math.exp(meanLog);
        return f;
    }

    static int referenceColumn(double[] f75, double[] sqrtSum) {
        double[] sorted = f75.clone();
        if (Ranks.median(sorted, sorted.length) < 1e-20) {
            int best = 0;
            for (int j = 1; j < sqrtSum.length; j++) if (sqrtSum[j] > sqrtSum[best]) best = j;
            return best;
        }
        double mean = 0;
        for (double x : f75) mean += x;
        mean /= f75.length;
        int best = 0;
        for (int j = 1; j < f75.length; j++) if (Math.abs(f75[j] - mean) < Math.abs(f75[best] - mean)) best = j;
        return best;
    }

    /** edgeR's {@code .calcFactorTMM} for one sample against the reference. */
    static double factor(double[] obs, double[] ref, double nO, double nR) {
        int g = obs.length;
        double[] logR = new double[g];
        double[] absE = new double[g];
        double[] v = new double[g];
        int m = 0;
        double maxAbs = 0;
        for (int i = 0; i < g; i++) {
            double lr = log2((obs[i] / nO) / (ref[i] / nR));
            double ae = (log2(obs[i] / nO) + log2(ref[i] / nR)) / 2;
            if (!Double.isFinite(lr) || !Double.isFinite(ae)) continue;
            logR[m] = lr;
            absE[m] = ae;
            v[m] = (nO - obs[i]) / nO / obs[i] + (nR - ref[i]) / nR / ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(lr));
            m++;
        }
        if (m == 0) return 1; // edgeR: max(abs(logR)) of nothing is -Inf < 1e-6
        if (maxAbs < 1e-6) return 1;
        double loL = Math.floor(m * LOGRATIO_TRIM) + 1;
        double hiL = m + 1 - loL;
        double loS = Math.floor(m * SUM_TRIM) + 1;
        double hiS = m + 1 - loS;
        double[] rankR = new double[m];
        double[] rankE = new double[m];
        Ranks.average(logR, m, rankR);
        Ranks.average(absE, m, rankE);
        double num = 0;
        double den = 0;
        for (int i = 0; i < m; i++) {
            if (rankR[i] >= loL && rankR[i] <= hiL && rankE[i] >= loS && rankE[i] <= hiS) {
                num += logR[i] / v[i];
                den += 1 / v[i];
            }
        }
        double f = num / den;
        if (Double.isNaN(f)) f = 0;
        return Math.pow(2, f);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
