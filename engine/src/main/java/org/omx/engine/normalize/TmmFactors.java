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
 * <p>Out of core: pass 1 streams library sizes; then column panels: when every sample fits one
 * panel (the usual case), one transposition serves the upper quartiles, the reference and the
 * trimmed means; otherwise two panel passes (upper quartiles; trimmed means against the reference
 * column, read once). Per-sample work runs on {@link NormalizeContext#threads()} threads; each
 * sample's factor is computed the same way whatever the thread count.
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
            float[] row = new float[n];
            for (int i = 0; i < tile.rows(); i++) {
                tile.copyRow(i, row, 0);
                boolean zero = true;
                for (int j = 0; j < n; j++) {
                    float v = row[j];
                    if (v != 0) zero = false;
                    sqrtSum[j] += Math.sqrt(v);
                }
                allZero[(int) (r0 + i)] = zero;
            }
        });
        double[] f75 = new double[n];
        double[] f = new double[n];
        int[] refColumn = {-1};
        if (ColumnPanels.singlePanel(s, ctx)) {
            // every sample in one panel: upper quartiles, reference and factors from one transposition
            ColumnPanels.scanArrays(s, ctx, (c0, width, panel) -> {
                upperQuartiles(panel, 0, width, g, allZero, lib, f75, ctx.threads());
                refColumn[0] = reference(s, f75, sqrtSum, ctx);
                double[] ref = new double[g];
                for (int i = 0; i < g; i++) ref[i] = panel[refColumn[0] * g + i];
                factors(panel, 0, width, g, ref, lib, lib[refColumn[0]], f, ctx.threads());
            });
        } else {
            ColumnPanels.scanArrays(s, ctx, (c0, width, panel) ->
                    upperQuartiles(panel, c0, width, g, allZero, lib, f75, ctx.threads()));
            refColumn[0] = reference(s, f75, sqrtSum, ctx);
            double[] ref = new double[g];
            for (int i = 0; i < g; i++) ref[i] = s.get(i, refColumn[0]);
            ColumnPanels.scanArrays(s, ctx, (c0, width, panel) ->
                    factors(panel, c0, width, g, ref, lib, lib[refColumn[0]], f, ctx.threads()));
        }
        double meanLog = 0;
        for (double x : f) meanLog += Math.log(x);
        meanLog /= n;
        for (int j = 0; j < n; j++) f[j] /= Math.exp(meanLog);
        return f;
    }

    private static int reference(MatrixStore s, double[] f75, double[] sqrtSum, NormalizeContext ctx) {
        int r = referenceColumn(f75, sqrtSum);
        ctx.log().accept("tmm: reference sample " + s.sampleIds().get(r) + " (upper quartile closest to the mean)");
        return r;
    }

    /** Upper-quartile fractions of the panel's samples, in parallel over samples. */
    private static void upperQuartiles(float[] panel, int c0, int width, int g, boolean[] allZero, double[] lib,
                                       double[] f75, int threads) throws InputFormatException {
        Parallel.forRange(threads, width, 16, (from, to) -> {
            double[] col = new double[g];
            for (int k = from; k < to; k++) {
                int m = 0;
                int base = k * g;
                for (int i = 0; i < g; i++) if (!allZero[i]) col[m++] = panel[base + i];
                f75[c0 + k] = m == 0 ? 0 : Ranks.quantile7Select(col, m, 0.75) / lib[c0 + k];
            }
        });
    }

    /** TMM factors (before rescaling) of the panel's samples against the reference, in parallel over samples. */
    private static void factors(float[] panel, int c0, int width, int g, double[] ref, double[] lib, double nR,
                                double[] f, int threads) throws InputFormatException {
        // the reference's share of each gene's terms, the same for every sample
        double[] refN = new double[g];
        double[] logRefN = new double[g];
        double[] refVar = new double[g];
        for (int i = 0; i < g; i++) {
            refN[i] = ref[i] / nR;
            logRefN[i] = log2(ref[i] / nR);
            refVar[i] = (nR - ref[i]) / nR / ref[i];
        }
        Parallel.forRange(threads, width, 8, (from, to) -> {
            Scratch w = new Scratch(g);
            for (int k = from; k < to; k++)
                f[c0 + k] = factor(panel, k * g, g, ref, refN, logRefN, refVar, lib[c0 + k], w);
        });
    }

    /** Per-thread work arrays of {@link #factor}. */
    static final class Scratch {
        final double[] logR;
        final double[] absE;
        final double[] v;
        final double[] sel;

        Scratch(int g) {
            logR = new double[g];
            absE = new double[g];
            v = new double[g];
            sel = new double[g];
        }
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
        float[] o = new float[g];
        for (int i = 0; i < g; i++) o[i] = (float) obs[i];
        double[] refN = new double[g];
        double[] logRefN = new double[g];
        double[] refVar = new double[g];
        for (int i = 0; i < g; i++) {
            refN[i] = ref[i] / nR;
            logRefN[i] = log2(ref[i] / nR);
            refVar[i] = (nR - ref[i]) / nR / ref[i];
        }
        return factor(o, 0, g, ref, refN, logRefN, refVar, nO, new Scratch(g));
    }

    /**
     * {@code .calcFactorTMM} for the sample at {@code obs[off .. off + g)}, with the reference's terms
     * precomputed ({@code ref / nR}, its log2, its variance term). The log ratio and the average log
     * expression are computed with edgeR's arithmetic ({@code log2((obs / nO) / (ref / nR))} and
     * {@code (log2(obs / nO) + log2(ref / nR)) / 2}), so values tie exactly where edgeR's tie. The
     * trimming keeps the genes whose average ranks (ties averaged, as {@code rank}) of both lie
     * within the bounds; because the average rank grows with the value, that is a value interval,
     * found by selecting the values at the bound positions, so nothing is sorted.
     */
    static double factor(float[] obs, int off, int g, double[] ref, double[] refN, double[] logRefN, double[] refVar,
                         double nO, Scratch w) {
        double[] logR = w.logR;
        double[] absE = w.absE;
        double[] v = w.v;
        int m = 0;
        double maxAbs = 0;
        for (int i = 0; i < g; i++) {
            double o = obs[off + i];
            if (!(o > 0) || !(ref[i] > 0)) continue; // a zero on either side: log ratio not finite
            double on = o / nO;
            double lr = Math.log(on / refN[i]) / LN2;
            double ae = (Math.log(on) / LN2 + logRefN[i]) / 2;
            if (!Double.isFinite(lr) || !Double.isFinite(ae)) continue;
            logR[m] = lr;
            absE[m] = ae;
            v[m] = (nO - o) / nO / o + refVar[i];
            maxAbs = Math.max(maxAbs, Math.abs(lr));
            m++;
        }
        if (m == 0) return 1; // edgeR: max(abs(logR)) of nothing is -Inf < 1e-6
        if (maxAbs < 1e-6) return 1;
        double loL = Math.floor(m * LOGRATIO_TRIM) + 1;
        double hiL = m + 1 - loL;
        double loS = Math.floor(m * SUM_TRIM) + 1;
        double hiS = m + 1 - loS;
        Bound rLo = lowerBound(logR, m, loL, w.sel);
        Bound rHi = upperBound(logR, m, hiL, w.sel);
        Bound eLo = lowerBound(absE, m, loS, w.sel);
        Bound eHi = upperBound(absE, m, hiS, w.sel);
        double num = 0;
        double den = 0;
        for (int i = 0; i < m; i++) {
            if (rLo.below(logR[i]) || rHi.above(logR[i]) || eLo.below(absE[i]) || eHi.above(absE[i])) continue;
            num += logR[i] / v[i];
            den += 1 / v[i];
        }
        double f = num / den;
        if (Double.isNaN(f)) f = 0;
        return Math.pow(2, f);
    }

    /**
     * A bound on values given by one on average ranks: the value at the bound's position and
     * whether values equal to it are on the kept side (their tie group's average rank passes).
     */
    private record Bound(double value, boolean inclusive) {
        /** For a lower bound: x is below it (its rank is under the bound). */
        boolean below(double x) {
            return inclusive ? x < value : x <= value;
        }

        /** For an upper bound: x is above it. */
        boolean above(double x) {
            return inclusive ? x > value : x >= value;
        }
    }

    /** Values whose average rank in {@code x[0..m)} is at least {@code lo} (1-based, integral, within 1..m). */
    private static Bound lowerBound(double[] x, int m, double lo, double[] sel) {
        double v = valueAt(x, m, (int) lo, sel);
        return new Bound(v, tieRank(x, m, v) >= lo);
    }

    /** Values whose average rank in {@code x[0..m)} is at most {@code hi}. */
    private static Bound upperBound(double[] x, int m, double hi, double[] sel) {
        double v = valueAt(x, m, (int) hi, sel);
        return new Bound(v, tieRank(x, m, v) <= hi);
    }

    /** The value at 1-based sorted position {@code p}. */
    private static double valueAt(double[] x, int m, int p, double[] sel) {
        System.arraycopy(x, 0, sel, 0, m);
        return Ranks.select(sel, m, p - 1);
    }

    /** Average rank of the values equal to {@code v}: less + (equal + 1) / 2, as {@code rank(ties = "average")}. */
    private static double tieRank(double[] x, int m, double v) {
        int less = 0;
        int equal = 0;
        for (int i = 0; i < m; i++) {
            double a = x[i];
            if (a < v) less++;
            else if (a == v) equal++;
        }
        return less + (equal + 1) / 2.0;
    }

    private static final double LN2 = Math.log(2);

    private static double log2(double x) {
        return Math.log(x) / LN2;
    }
}
