package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ComBat batch correction (Johnson, Li and Rabinovic 2007) as {@code sva::ComBat(dat, batch, mod,
 * par.prior, mean.only, ref.batch)} in sva 3.46: per feature, a linear model on batch indicators
 * and the protected covariates; data standardized by the pooled residual variance around the
 * grand mean plus covariate effects; batch location and scale shrunk towards priors estimated
 * across features; then the adjusted standardized data are mapped back. Within 1e-4 of sva on the
 * fixtures for every option below.
 *
 * <ul>
 * <li>Parametric priors (default): normal for location, inverse gamma for scale, sva's fixed-point
 * iteration with its stopping rule (relative change below 1e-4 over all features of a batch).</li>
 * <li>Non-parametric ({@code par.prior = FALSE}): each feature's batch effect is the average of the
 * other features' estimates weighted by the likelihood of its data under them (sva's
 * {@code int.eprior}); O(features^2) per batch. Computed in log space (subtracting the largest
 * log-likelihood), which gives sva's weights where sva's do not underflow, and finite ones where
 * sva's would all underflow to 0/0 (large batches).</li>
 * <li>Mean only: scale factors fixed at 1; forced, as in sva, when a batch has one sample (logged).</li>
 * <li>Reference batch: its column of the design is all ones, the grand mean is its coefficient, the
 * pooled variance comes from its samples only, and its samples are returned unchanged.</li>
 * <li>Missing values (NaN) as sva: each feature's fit uses its observed samples; if any value of
 * the matrix is missing, the pooled variance is sva's {@code rowVars} of the residuals (divisor
 * n - 1) instead of the mean square (divisor n), exactly as sva switches; missing values stay
 * missing. A feature with no observed value in a batch, or fewer than two without mean-only, is
 * an error naming it.</li>
 * </ul>
 *
 * <p>Design as R's {@code model.matrix}: batch levels in sorted order as indicators; a covariate
 * whose values all parse as numbers is one numeric column, any other is a factor in treatment
 * coding (first sorted level dropped). Stated handling, as sva: a feature constant within some
 * batch (no missing value there) is passed through unchanged (logged). Beyond sva: a feature whose
 * residual variance is zero (fitted exactly by the design) is passed through and logged instead of
 * becoming NaN. A covariate confounded with batch is an error.
 *
 * <p>Two row passes: the per-feature fits keep only sufficient statistics (coefficients, pooled
 * variance, per-batch counts, means and sums of squares of the centred data), so the empirical
 * Bayes step runs in memory on a few doubles per feature, and the second pass writes the adjusted
 * rows.
 */
public final class ComBat implements Normalization {

    /**
     * sva's switches: {@code par.prior}, {@code mean.only} and {@code ref.batch} (null for none).
     */
    public record Options(boolean parametric, boolean meanOnly, String refBatch) {
        public static final Options DEFAULT = new Options(true, false, null);
    }

    private final List<String> batch;
    private final Map<String, List<String>> covariates;
    private final Options options;

    /**
     * @param batch      the batch of each sample, in store order
     * @param covariates covariates to protect, each a value per sample in store order
     */
    public ComBat(List<String> batch, Map<String, List<String>> covariates) {
        this(batch, covariates, Options.DEFAULT);
    }

    public ComBat(List<String> batch, Map<String, List<String>> covariates, Options options) {
        this.batch = List.copyOf(batch);
        this.covariates = new LinkedHashMap<>(covariates);
        this.options = options;
        if (options.refBatch() != null && !batch.contains(options.refBatch()))
            throw new IllegalArgumentException("reference batch " + options.refBatch() + " is not among the batches");
    }

    @Override
    public String name() {
        return "combat";
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("prior", options.parametric() ? "parametric" : "non-parametric");
        p.put("meanOnly", String.valueOf(options.meanOnly()));
        if (options.refBatch() != null) p.put("refBatch", options.refBatch());
        p.put("batches", String.join(",", new TreeSet<>(batch)));
        p.put("covariates", String.join(",", covariates.keySet()));
        return p;
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (ComBat batch-corrected)";
    }

    /**
     * The design: batch columns first (indicators; the reference batch's column all ones), then
     * covariate columns; {@code ref} is the reference batch's index or -1.
     */
    record Design(double[][] x, int nBatch, int[] batchOf, List<String> levels, int[] batchSizes, int ref) {
        int p() {
            return x[0].length;
        }
    }

    Design design(MatrixStore in) throws InputFormatException {
        int n = in.cols();
        if (batch.size() != n) throw new IllegalArgumentException("batch has " + batch.size() + " values for " + n + " samples");
        List<String> levels = new ArrayList<>(new TreeSet<>(batch));
        if (levels.size() < 2) throw new InputFormatException(in.path(), "combat needs at least 2 batches, found " + levels.size());
        int nb = levels.size();
        int ref = options.refBatch() == null ? -1 : levels.indexOf(options.refBatch());
        int[] batchOf = new int[n];
        int[] sizes = new int[nb];
        for (int j = 0; j < n; j++) {
            batchOf[j] = levels.indexOf(batch.get(j));
            sizes[batchOf[j]]++;
        }
        List<double[]> cols = new ArrayList<>();
        for (int b = 0; b < nb; b++) {
            double[] c = new double[n];
            for (int j = 0; j < n; j++) c[j] = batchOf[j] == b || b == ref ? 1 : 0;
            cols.add(c);
        }
        List<double[]> cov = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : covariates.entrySet()) {
            List<String> v = e.getValue();
            if (v.size() != n) throw new IllegalArgumentException("covariate " + e.getKey() + " has " + v.size() + " values for " + n + " samples");
            double[] num = numeric(v);
            if (num != null) {
                cov.add(num);
            } else {
                List<String> lv = new ArrayList<>(new TreeSet<>(v));
                for (int l = 1; l < lv.size(); l++) {
                    double[] c = new double[n];
                    for (int j = 0; j < n; j++) c[j] = v.get(j).equals(lv.get(l)) ? 1 : 0;
                    cov.add(c);
                }
            }
        }
        // sva drops design columns that are all 1 (an intercept from the covariate model), never the reference's
        cov.removeIf(c -> { for (double x : c) if (x != 1) return false; return true; });
        cols.addAll(cov);
        double[][] x = new double[n][cols.size()];
        for (int k = 0; k < cols.size(); k++) for (int j = 0; j < n; j++) x[j][k] = cols.get(k)[j];
        if (inverse(crossprod(x)) == null)
            throw new InputFormatException(in.path(), "combat: the covariates (" + String.join(", ", covariates.keySet())
                    + ") are confounded with batch or with each other; remove the confounded covariate");
        return new Design(x, nb, batchOf, levels, sizes, ref);
    }

    private static double[] numeric(List<String> v) {
        double[] out = new double[v.size()];
        try {
            for (int j = 0; j < out.length; j++) out[j] = Double.parseDouble(v.get(j));
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }

    /** Per-feature sufficient statistics of the first pass. */
    private static final class Fits {
        final double[][] coef;
        final double[] resSq;      // sum of squared residuals over the variance samples
        final double[] resSsq;     // the same around their mean (sva's rowVars when data are missing)
        final int[] resCnt;
        final int[][] cnt;         // observed values per batch
        final double[][] uMean;    // per batch, mean of y - standardizing mean
        final double[][] uSsq;     // per batch, sum of squares around that mean
        final boolean[] passThrough;
        long constant;
        boolean anyMissing;

        Fits(int g, int nb) {
            coef = new double[g][];
            resSq = new double[g];
            resSsq = new double[g];
            resCnt = new int[g];
            cnt = new int[nb][g];
            uMean = new double[nb][g];
            uSsq = new double[nb][g];
            passThrough = new boolean[g];
        }
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        Design d = design(in);
        int n = in.cols();
        int g = (int) in.rows();
        int nb = d.nBatch();
        int ref = d.ref();
        boolean meanOnly = options.meanOnly();
        for (int b = 0; b < nb; b++) if (d.batchSizes()[b] == 1) {
            meanOnly = true;
            ctx.log().accept("combat: batch " + d.levels().get(b) + " has one sample: mean-only adjustment (as sva)");
        }
        Fits f = fit(in, d, ctx);
        if (f.constant > 0) ctx.log().accept("combat: " + f.constant + " features with zero variance within a batch passed through unchanged (as sva)");
        if (f.anyMissing) ctx.log().accept("combat: missing values found; fits use each feature's observed samples (as sva)");

        double[] sd = new double[g];
        long exact = 0;
        for (int i = 0; i < g; i++) {
            if (f.passThrough[i]) continue;
            double v = f.anyMissing ? f.resSsq[i] / (f.resCnt[i] - 1) : f.resSq[i] / f.resCnt[i];
            if (!(v > 0)) {
                f.passThrough[i] = true;
                exact++;
                continue;
            }
            sd[i] = Math.sqrt(v);
        }
        if (exact > 0) ctx.log().accept("combat: " + exact + " features fitted exactly by the design (zero residual variance) passed through unchanged");
        int kept = 0;
        for (boolean p : f.passThrough) if (!p) kept++;
        if (kept < 2) throw new InputFormatException(in.path(), "combat: fewer than 2 features left to estimate priors from "
                + "(the others are constant within a batch or fitted exactly)");

        // standardized per-batch statistics and the batch estimates gamma-hat, delta-hat
        double[][] sMean = new double[nb][g];
        double[][] sSsq = new double[nb][g];
        double[][] gammaHat = new double[nb][g];
        double[][] deltaHat = new double[nb][g];
        for (int i = 0; i < g; i++) {
            if (f.passThrough[i]) continue;
            for (int b = 0; b < nb; b++) {
                int c = f.cnt[b][i];
                if (c == 0 || (c < 2 && !meanOnly))
                    throw new InputFormatException(in.path(), "combat: feature " + in.featureIds().get(i) + " has " + c
                            + " observed value" + (c == 1 ? "" : "s") + " in batch " + d.levels().get(b)
                            + (c == 0 ? "" : "; its batch variance needs two (impute, or use mean-only)"));
                sMean[b][i] = f.uMean[b][i] / sd[i];
                sSsq[b][i] = f.uSsq[b][i] / (sd[i] * sd[i]);
                deltaHat[b][i] = meanOnly ? 1 : sSsq[b][i] / (c - 1);
            }
            batchEffects(d, f, sMean, i, gammaHat);
        }

        double[][] gammaStar = new double[nb][g];
        double[][] deltaStar = new double[nb][g];
        for (int b = 0; b < nb; b++) {
            if (b == ref) {   // the reference batch is not adjusted
                java.util.Arrays.fill(deltaStar[b], 1);
                continue;
            }
            if (!options.parametric()) {
                nonParametric(gammaHat[b], deltaHat[b], sMean[b], sSsq[b], f.cnt[b], f.passThrough, gammaStar[b], deltaStar[b], ctx);
                continue;
            }
            double gBar = mean(gammaHat[b], f.passThrough);
            double t2 = var(gammaHat[b], f.passThrough, gBar);
            if (meanOnly) {
                for (int i = 0; i < g; i++) if (!f.passThrough[i]) {
                    gammaStar[b][i] = (t2 * gammaHat[b][i] + gBar) / (t2 + 1);
                    deltaStar[b][i] = 1;
                }
                continue;
            }
            double dm = mean(deltaHat[b], f.passThrough);
            double s2 = var(deltaHat[b], f.passThrough, dm);
            double aPrior = (2 * s2 + dm * dm) / s2;
            double bPrior = (dm * s2 + dm * dm * dm) / s2;
            iterate(f.cnt[b], gammaHat[b], deltaHat[b], sMean[b], sSsq[b], gBar, t2, aPrior, bPrior, f.passThrough,
                    gammaStar[b], deltaStar[b]);
        }
        return StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++) {
                int gi = (int) (r0 + i);
                for (int j = 0; j < n; j++) {
                    int b = d.batchOf()[j];
                    float y = src.get(i, j);
                    if (f.passThrough[gi] || b == ref || Float.isNaN(y)) {
                        dst.set(i, j, y);
                        continue;
                    }
                    double sm = standMean(f.coef[gi], d, j);
                    double sj = (y - sm) / sd[gi];
                    double adj = (sj - gammaStar[b][gi]) / Math.sqrt(deltaStar[b][gi]);
                    dst.set(i, j, (float) (adj * sd[gi] + sm));
                }
            }
        });
    }

    /** First pass: per feature, the design fit on its observed samples and the statistics the rest needs. */
    private Fits fit(MatrixStore in, Design d, NormalizeContext ctx) throws InputFormatException {
        int n = in.cols();
        int nb = d.nBatch();
        int p = d.p();
        double[][] x = d.x();
        double[][] proj = projection(x, inverse(crossprod(x)));
        Fits f = new Fits((int) in.rows(), nb);
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            double[] y = new double[n];
            double[] u = new double[n];
            for (int i = 0; i < tile.rows(); i++) {
                int gi = (int) (r0 + i);
                boolean missing = false;
                for (int j = 0; j < n; j++) {
                    y[j] = tile.get(i, j);
                    if (Double.isNaN(y[j])) missing = true;
                    else if (Double.isInfinite(y[j])) throw new InputFormatException(in.path(), "combat: an infinite value at feature "
                            + in.featureIds().get(gi) + ", sample " + in.sampleIds().get(j));
                }
                f.anyMissing |= missing;
                if (constantInABatch(y, d)) {
                    f.passThrough[gi] = true;
                    f.constant++;
                    continue;
                }
                if (missing) requireObservedInEveryBatch(in, gi, y, d);
                double[] beta = missing ? observedFit(in, gi, x, y) : multiply(proj, y);
                f.coef[gi] = beta;
                // residuals over the samples the pooled variance comes from: all, or the reference batch's
                double sum = 0, sq = 0;
                int m = 0;
                for (int j = 0; j < n; j++) {
                    if (Double.isNaN(y[j]) || (d.ref() >= 0 && d.batchOf()[j] != d.ref())) continue;
                    double fit = 0;
                    for (int k = 0; k < p; k++) fit += x[j][k] * beta[k];
                    double r = y[j] - fit;
                    sum += r;
                    sq += r * r;
                    m++;
                }
                double rMean = sum / m;
                double ssq = 0;
                for (int j = 0; j < n; j++) {
                    if (Double.isNaN(y[j]) || (d.ref() >= 0 && d.batchOf()[j] != d.ref())) continue;
                    double fit = 0;
                    for (int k = 0; k < p; k++) fit += x[j][k] * beta[k];
                    double r = y[j] - fit - rMean;
                    ssq += r * r;
                }
                f.resSq[gi] = sq;
                f.resSsq[gi] = ssq;
                f.resCnt[gi] = m;
                for (int j = 0; j < n; j++) u[j] = y[j] - standMean(beta, d, j);
                for (int b = 0; b < nb; b++) {
                    double s = 0;
                    int c = 0;
                    for (int j = 0; j < n; j++) if (d.batchOf()[j] == b && !Double.isNaN(u[j])) {
                        s += u[j];
                        c++;
                    }
                    double mean = c == 0 ? 0 : s / c;
                    double ss = 0;
                    for (int j = 0; j < n; j++) if (d.batchOf()[j] == b && !Double.isNaN(u[j])) ss += (u[j] - mean) * (u[j] - mean);
                    f.cnt[b][gi] = c;
                    f.uMean[b][gi] = mean;
                    f.uSsq[b][gi] = ss;
                }
            }
        });
        return f;
    }

    private static void requireObservedInEveryBatch(MatrixStore in, int gi, double[] y, Design d) throws InputFormatException {
        int[] c = new int[d.nBatch()];
        for (int j = 0; j < y.length; j++) if (!Double.isNaN(y[j])) c[d.batchOf()[j]]++;
        for (int b = 0; b < c.length; b++)
            if (c[b] == 0) throw new InputFormatException(in.path(), "combat: feature " + in.featureIds().get(gi)
                    + " has 0 observed values in batch " + d.levels().get(b) + " (impute or drop it)");
    }

    /** sva's {@code Beta.NA}: least squares on the observed samples of one feature. */
    private static double[] observedFit(MatrixStore in, int gi, double[][] x, double[] y) throws InputFormatException {
        int p = x[0].length;
        double[][] xtx = new double[p][p];
        double[] xty = new double[p];
        for (int j = 0; j < y.length; j++) {
            if (Double.isNaN(y[j])) continue;
            for (int a = 0; a < p; a++) {
                xty[a] += x[j][a] * y[j];
                for (int b = 0; b < p; b++) xtx[a][b] += x[j][a] * x[j][b];
            }
        }
        double[][] inv = inverse(xtx);
        if (inv == null) throw new InputFormatException(in.path(), "combat: feature " + in.featureIds().get(gi)
                + " has too few observed values to fit the batches and covariates (impute or drop it)");
        double[] beta = new double[p];
        for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) beta[a] += inv[a][b] * xty[b];
        return beta;
    }

    /**
     * gamma-hat of feature i: sva's least squares of the standardized data on the batch columns,
     * from the per-batch counts and means (the batch means themselves without a reference batch).
     */
    private static void batchEffects(Design d, Fits f, double[][] sMean, int i, double[][] gammaHat) {
        int nb = d.nBatch();
        if (d.ref() < 0) {
            for (int b = 0; b < nb; b++) gammaHat[b][i] = sMean[b][i];
            return;
        }
        double[][] btb = new double[nb][nb];
        double[] bts = new double[nb];
        for (int k = 0; k < nb; k++) {
            double[] r = new double[nb];
            r[k] = 1;
            r[d.ref()] = 1;
            int c = f.cnt[k][i];
            for (int a = 0; a < nb; a++) {
                bts[a] += c * sMean[k][i] * r[a];
                for (int b = 0; b < nb; b++) btb[a][b] += c * r[a] * r[b];
            }
        }
        double[][] inv = inverse(btb);
        for (int a = 0; a < nb; a++) {
            double s = 0;
            for (int b = 0; b < nb; b++) s += inv[a][b] * bts[b];
            gammaHat[a][i] = s;
        }
    }

    /** sva's {@code it.sol} for one batch, over all features at once (its stopping rule is global). */
    private static void iterate(int[] nB, double[] gHat, double[] dHat, double[] sMean, double[] sSsq, double gBar, double t2,
                                double a, double bb, boolean[] skip, double[] gOut, double[] dOut) {
        int g = gHat.length;
        double[] gOld = gHat.clone();
        double[] dOld = dHat.clone();
        double change = 1;
        while (change > 1e-4) {
            change = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < g; i++) {
                if (skip[i]) continue;
                int n = nB[i];
                double gNew = (t2 * n * gHat[i] + dOld[i] * gBar) / (t2 * n + dOld[i]);
                // sum over the batch of (s - gNew)^2 = sum (s - mean)^2 + n (mean - gNew)^2
                double sum2 = sSsq[i] + n * (sMean[i] - gNew) * (sMean[i] - gNew);
                double dNew = (0.5 * sum2 + bb) / (n / 2.0 + a - 1);
                change = Math.max(change, Math.max(Math.abs(gNew - gOld[i]) / gOld[i], Math.abs(dNew - dOld[i]) / dOld[i]));
                gOld[i] = gNew;
                dOld[i] = dNew;
            }
        }
        System.arraycopy(gOld, 0, gOut, 0, g);
        System.arraycopy(dOld, 0, dOut, 0, g);
    }

    /**
     * sva's {@code int.eprior} for one batch: for each feature, the other features' (gamma-hat,
     * delta-hat) averaged with weights the normal likelihood of this feature's standardized batch
     * data under each, {@code (2 pi d)^(-n/2) exp(-sum (s - g)^2 / (2 d))}; in log space.
     */
    private static void nonParametric(double[] gHat, double[] dHat, double[] sMean, double[] sSsq, int[] cnt, boolean[] skip,
                                      double[] gOut, double[] dOut, NormalizeContext ctx) throws InputFormatException {
        int g = gHat.length;
        int[] idx = new int[g];
        int m = 0;
        for (int i = 0; i < g; i++) if (!skip[i]) idx[m++] = i;
        double[] gk = new double[m];
        double[] dk = new double[m];
        double[] halfLog2piD = new double[m];
        for (int k = 0; k < m; k++) {
            gk[k] = gHat[idx[k]];
            dk[k] = dHat[idx[k]];
            halfLog2piD[k] = 0.5 * Math.log(2 * Math.PI * dk[k]);
        }
        int kept = m;
        Parallel.forRange(ctx.threads(), kept, 64, (from, to) -> {
            double[] ll = new double[kept];
            for (int t = from; t < to; t++) {
                int i = idx[t];
                int n = cnt[i];
                double mean = sMean[i];
                double ssq = sSsq[i];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < kept; k++) {
                    if (k == t) continue;
                    double dev = mean - gk[k];
                    double v = -n * halfLog2piD[k] - (ssq + n * dev * dev) / (2 * dk[k]);
                    ll[k] = v;
                    if (v > max) max = v;
                }
                double w = 0, gs = 0, ds = 0;
                for (int k = 0; k < kept; k++) {
                    if (k == t) continue;
                    double e = Math.exp(ll[k] - max);
                    w += e;
                    gs += gk[k] * e;
                    ds += dk[k] * e;
                }
                gOut[i] = gs / w;
                dOut[i] = ds / w;
            }
        });
    }

    /** Grand mean (the reference batch's coefficient, or batch coefficients weighted by size) plus sample j's covariate effects. */
    private static double standMean(double[] beta, Design d, int j) {
        int n = d.x().length;
        double m = 0;
        if (d.ref() >= 0) m = beta[d.ref()];
        else for (int b = 0; b < d.nBatch(); b++) m += (double) d.batchSizes()[b] / n * beta[b];
        for (int k = d.nBatch(); k < d.p(); k++) m += d.x()[j][k] * beta[k];
        return m;
    }

    /** sva's zero.rows: var(x) == 0 within a batch of two or more samples; a batch with a missing value has var NA, never 0. */
    private static boolean constantInABatch(double[] y, Design d) {
        for (int b = 0; b < d.nBatch(); b++) {
            if (d.batchSizes()[b] < 2) continue;
            double first = Double.NaN;
            boolean seen = false;
            boolean constant = true;
            for (int j = 0; j < y.length && constant; j++) if (d.batchOf()[j] == b) {
                if (Double.isNaN(y[j])) constant = false;
                else if (!seen) {
                    first = y[j];
                    seen = true;
                } else if (y[j] != first) constant = false;
            }
            if (constant) return true;
        }
        return false;
    }

    private static double[][] projection(double[][] x, double[][] xtxInv) {
        int n = x.length;
        int p = x[0].length;
        double[][] proj = new double[p][n];
        for (int k = 0; k < p; k++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int l = 0; l < p; l++) s += xtxInv[k][l] * x[j][l];
            proj[k][j] = s;
        }
        return proj;
    }

    private static double[] multiply(double[][] proj, double[] y) {
        double[] beta = new double[proj.length];
        for (int k = 0; k < proj.length; k++) {
            double acc = 0;
            for (int j = 0; j < y.length; j++) acc += proj[k][j] * y[j];
            beta[k] = acc;
        }
        return beta;
    }

    private static double mean(double[] v, boolean[] skip) {
        double s = 0;
        int m = 0;
        for (int i = 0; i < v.length; i++) if (!skip[i]) {
            s += v[i];
            m++;
        }
        return s / m;
    }

    private static double var(double[] v, boolean[] skip, double mean) {
        double s = 0;
        int m = 0;
        for (int i = 0; i < v.length; i++) if (!skip[i]) {
            s += (v[i] - mean) * (v[i] - mean);
            m++;
        }
        return s / (m - 1);
    }

    private static double[][] crossprod(double[][] x) {
        int p = x[0].length;
        double[][] c = new double[p][p];
        for (double[] row : x) for (int a = 0; a < p; a++) for (int b = 0; b < p; b++) c[a][b] += row[a] * row[b];
        return c;
    }

    /** Gauss-Jordan inverse with partial pivoting; null when singular (rank deficient design). */
    static double[][] inverse(double[][] m) {
        int p = m.length;
        double[][] a = new double[p][2 * p];
        double scale = 0;
        for (int i = 0; i < p; i++) {
            System.arraycopy(m[i], 0, a[i], 0, p);
            a[i][p + i] = 1;
            for (double v : m[i]) scale = Math.max(scale, Math.abs(v));
        }
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            if (Math.abs(a[piv][c]) <= 1e-10 * scale) return null;
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double d = a[c][c];
            for (int k = 0; k < 2 * p; k++) a[c][k] /= d;
            for (int r = 0; r < p; r++) if (r != c) {
                double f = a[r][c];
                if (f != 0) for (int k = 0; k < 2 * p; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[][] inv = new double[p][p];
        for (int i = 0; i < p; i++) System.arraycopy(a[i], p, inv[i], 0, p);
        return inv;
    }
}
