package org.omx.engine.network;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scale-free topology fit table of WGCNA's {@code pickSoftThreshold} and the automatic choice of
 * the power.
 *
 * <p>For each power beta, the connectivity of feature i is {@code k_i = sum_{j != i} a_ij} with the
 * adjacency of the network type. {@code scaleFreeFitIndex(k, nBreaks = 10)}: k is cut into 10
 * equal-width bins over its range (R's {@code cut}: right-closed, range widened by 0.1% at each end);
 * per bin, {@code dk} is the mean k (the bin midpoint from {@code hist} where the bin is empty or its
 * mean is 0) and {@code p(dk)} the share of features (0 when empty). With {@code x = log10(dk)} and
 * {@code y = log10(p(dk) + 1e-9)}: {@code R^2} and slope of {@code lm(y ~ x)}, and the truncated
 * R^2 is the adjusted R^2 of {@code lm(y ~ x + 10^x)}. The table's {@code SFT.R.sq} is that R^2 as
 * WGCNA 1.72 reports it (unsigned); {@code signed.R.sq} adds the tutorial's {@code -sign(slope) R^2}.
 *
 * <p>Automatic choice: the lowest power whose signed R^2 exceeds {@code RsquaredCut} (0.85 by default,
 * strictly greater, as WGCNA compares). WGCNA's own {@code powerEstimate} compares the unsigned R^2, so
 * it can pick a power whose fit has a positive slope (not scale-free at all); the signed rule agrees
 * with it whenever the chosen power's slope is negative, the usual case. No such power is an error
 * that names the cut and the best power found.
 */
public final class SoftThreshold {

    public static final double DEFAULT_R_SQUARED_CUT = 0.85;
    public static final int N_BREAKS = 10;
    /** WGCNA's guidance: fewer than 15 samples give correlations too noisy for a meaningful fit. */
    public static final int MIN_SAMPLES = 15;

    /** WGCNA's default powerVector: 1..10, then 12..20 by 2. */
    public static final double[] DEFAULT_POWERS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20};

    /** One line of the table, as WGCNA's {@code fitIndices}. */
    public record Fit(double power, double rSquared, double slope, double truncatedRSquared,
                      double meanK, double medianK, double maxK) {
        /** {@code -sign(slope) R^2}: near 1 only for a scale-free (negative slope) fit. */
        public double signedRSquared() {
            return -Math.signum(slope) * rSquared;
        }
    }

    /** The table and the power chosen (NaN when none reaches the cut). */
    public record Table(List<Fit> fits, double rSquaredCut, double powerEstimate) {

        public String rule() {
            return String.format(Locale.ROOT, "lowest power with signed scale-free R^2 (SFT.R.sq) > %.2f (WGCNA pickSoftThreshold powerEstimate)", rSquaredCut);
        }

        /** The chosen power, or a message naming the cut and the best fit when no power reaches it. */
        public double requirePower() {
            if (!Double.isNaN(powerEstimate)) return powerEstimate;
            Fit best = fits.stream().max((a, b) -> Double.compare(a.signedRSquared(), b.signedRSquared())).orElseThrow();
            throw new NetworkInputException(String.format(Locale.ROOT,
                    "no power gives a scale-free fit: the best signed R^2 is %.3f at power %s, below --r-squared-cut %.2f; "
                            + "choose a power with --power N (see soft-threshold.tsv) or lower the cut",
                    best.signedRSquared(), fmt(best.power()), rSquaredCut));
        }

        public String toTsv() {
            StringBuilder sb = new StringBuilder("Power\tSFT.R.sq\tslope\ttruncated.R.sq\tmean.k.\tmedian.k.\tmax.k.\tsigned.R.sq\n");
            for (Fit f : fits)
            {
                sb.append(fmt(f.power()));
                for (double v : new double[]{f.rSquared(), f.slope(), f.truncatedRSquared(), f.meanK(), f.medianK(), f.maxK(), f.signedRSquared()})
                    TenDigits.append(sb.append('\t'), v);
                sb.append(System.lineSeparator());
            }
            return sb.toString();
        }
    }

    private SoftThreshold() {
    }

    static String fmt(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /**
     * Computes the table, streaming correlation row blocks of {@code blockRows} features (only the
     * connectivities, one per feature and power, are kept).
     */
    public static Table table(Backend backend, Correlation corr, NetworkType type, double[] powers, double rSquaredCut,
                              int blockRows, int threads) {
        int g = corr.features();
        double[] ps = checkedPowers(corr.samples(), g, powers);
        double[][] k = new double[ps.length][g];
        AdjacencyPass.Work work = new AdjacencyPass.Work(type, TomType.UNSIGNED, Double.NaN, ps);
        int b = Math.max(1, Math.min(blockRows, g));
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix tile = AnonymousMemory.allocate(arena, b, g);
            for (int r0 = 0; r0 < g; r0 += b) {
                int rows = Math.min(b, g - r0);
                FloatMatrix t = tile.rows(0, rows);
                corr.block(backend, r0, 0, t);
                AdjacencyPass.rows(t, r0, work, k, threads);
            }
        }
        return fromConnectivities(ps, k, rSquaredCut);
    }

    /**
     * The powers sorted, after the checks of the table's inputs: enough samples (WGCNA's guidance),
     * at least {@link #N_BREAKS} features, positive powers.
     */
    static double[] checkedPowers(int samples, int features, double[] powers) {
        if (samples < MIN_SAMPLES)
            throw new NetworkInputException("the soft-threshold table needs at least " + MIN_SAMPLES + " samples (WGCNA's guidance); the data has "
                    + samples + "; give the power with --power N");
        if (features < N_BREAKS)
            throw new NetworkInputException("the soft-threshold table needs at least " + N_BREAKS + " features; the data has " + features);
        double[] ps = powers.clone();
        Arrays.sort(ps);
        if (ps.length == 0 || ps[0] <= 0) throw new NetworkInputException("powers must be positive: " + Arrays.toString(powers));
        return ps;
    }

    /** The table from the connectivities {@code k[p][i]} of the ascending powers {@code ps}, and the choice. */
    static Table fromConnectivities(double[] ps, double[][] k, double rSquaredCut) {
        List<Fit> fits = new ArrayList<>();
        double estimate = Double.NaN;
        for (int p = 0; p < ps.length; p++) {
            Fit f = fit(ps[p], k[p]);
            fits.add(f);
            if (Double.isNaN(estimate) && f.signedRSquared() > rSquaredCut) estimate = ps[p];
        }
        return new Table(List.copyOf(fits), rSquaredCut, estimate);
    }

    /** One line of the table from the connectivities (WGCNA {@code scaleFreeFitIndex}, nBreaks = 10). */
    static Fit fit(double power, double[] k) {
        int n = k.length;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : k) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        // R's cut(k, 10): equal-width breaks over the range, the outer two moved out by range / 1000
        double dx = max - min;
        double[] breaks = new double[N_BREAKS + 1];
        if (dx == 0) {
            double d = min != 0 ? Math.abs(min) : 1;
            for (int i = 0; i <= N_BREAKS; i++) breaks[i] = (min - d / 1000) + i * ((max + d / 1000) - (min - d / 1000)) / N_BREAKS;
        } else {
            for (int i = 0; i <= N_BREAKS; i++) breaks[i] = i == N_BREAKS ? max : min + i * (dx / N_BREAKS);
            breaks[0] = min - dx / 1000;
            breaks[N_BREAKS] = max + dx / 1000;
        }
        double[] binSum = new double[N_BREAKS];
        int[] binCount = new int[N_BREAKS];
        for (double v : k) {
            int bin = bin(breaks, v);
            binSum[bin] += v;
            binCount[bin]++;
        }
        double by = dx / N_BREAKS;
        double[] x = new double[N_BREAKS];
        double[] y = new double[N_BREAKS];
        for (int i = 0; i < N_BREAKS; i++) {
            double lo = min + i * by;
            double hi = i == N_BREAKS - 1 ? max : min + (i + 1) * by;
            double mid = (lo + hi) / 2;
            double dk = binCount[i] == 0 ? mid : binSum[i] / binCount[i];
            if (dk == 0) dk = mid;
            x[i] = Math.log10(dk);
            y[i] = Math.log10((double) binCount[i] / n + 1e-9);
        }
        double[] lm1 = ols(y, x);
        double[] z = new double[N_BREAKS];
        for (int i = 0; i < N_BREAKS; i++) z[i] = Math.pow(10, x[i]);
        double[] lm2 = ols(y, x, z);
        double r2 = lm1[0];
        double slope = lm1[1];
        double p2 = 2;
        double adj = 1 - (1 - lm2[0]) * (N_BREAKS - 1) / (N_BREAKS - p2 - 1);
        double[] s = k.clone();
        Arrays.sort(s);
        double median = Correlation.median(s);
        return new Fit(power, r2, slope, adj, sum / n, median, max);
    }

    /** The bin of v for right-closed intervals (breaks[i], breaks[i+1]]. */
    private static int bin(double[] breaks, double v) {
        for (int i = 0; i < N_BREAKS; i++) if (v <= breaks[i + 1]) return i;
        return N_BREAKS - 1;
    }

    /**
     * Least squares of y on an intercept and the given predictors; returns {R^2, first slope}. Solved by
     * the normal equations on centred predictors in double, enough for 10 points and 2 predictors.
     */
    static double[] ols(double[] y, double[]... xs) {
        int n = y.length;
        int p = xs.length;
        double my = mean(y);
        double[] mx = new double[p];
        for (int a = 0; a < p; a++) mx[a] = mean(xs[a]);
        double[][] m = new double[p][p + 1];
        for (int a = 0; a < p; a++) {
            for (int c = 0; c < p; c++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += (xs[a][i] - mx[a]) * (xs[c][i] - mx[c]);
                m[a][c] = s;
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += (xs[a][i] - mx[a]) * (y[i] - my);
            m[a][p] = s;
        }
        double[] beta = solve(m);
        double ssTot = 0;
        double ssRes = 0;
        for (int i = 0; i < n; i++) {
            double fitted = my;
            for (int a = 0; a < p; a++) fitted += beta[a] * (xs[a][i] - mx[a]);
            ssRes += (y[i] - fitted) * (y[i] - fitted);
            ssTot += (y[i] - my) * (y[i] - my);
        }
        return new double[]{1 - ssRes / ssTot, beta[0]};
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double e : v) s += e;
        return s / v.length;
    }

    /** Gaussian elimination with partial pivoting on an augmented p x (p + 1) system. */
    private static double[] solve(double[][] m) {
        int p = m.length;
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] tmp = m[c];
            m[c] = m[piv];
            m[piv] = tmp;
            for (int r = c + 1; r < p; r++) {
                double f = m[r][c] / m[c][c];
                for (int q = c; q <= p; q++) m[r][q] -= f * m[c][q];
            }
        }
        double[] x = new double[p];
        for (int r = p - 1; r >= 0; r--) {
            double s = m[r][p];
            for (int q = r + 1; q < p; q++) s -= m[r][q] * x[q];
            x[r] = s / m[r][r];
        }
        return x;
    }
}
