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
 * ComBat batch correction with parametric empirical Bayes priors (Johnson, Li and Rabinovic 2007)
 * as {@code sva::ComBat(dat, batch, mod, par.prior = TRUE)} in sva 3.46: per feature, a linear
 * model on batch indicators and the protected covariates; data standardized by the pooled
 * variance (divisor n) around the grand mean plus covariate effects; batch location and scale
 * shrunk towards normal and inverse-gamma priors estimated across features (the same fixed-point
 * iteration and stopping rule, relative change below 1e-4 over all features of a batch); then the
 * adjusted standardized data are mapped back. Within 1e-4 of sva on the fixtures.
 *
 * <p>Design as R's {@code model.matrix}: batch levels in sorted order as indicators; a covariate
 * whose values all parse as numbers is one numeric column, any other is a factor in treatment
 * coding (first sorted level dropped). Stated handling, as sva: a feature with zero variance
 * within some batch is passed through unchanged (logged); a batch with a single sample forces
 * the mean-only adjustment (logged). A covariate confounded with batch is an error. Missing
 * values are refused (sva's NA path is not implemented).
 *
 * <p>Two row passes: the per-feature fits keep only sufficient statistics (coefficients, pooled
 * variance, per-batch sums of the standardized data), so the empirical Bayes step runs in memory
 * on a few doubles per feature, and the second pass writes the adjusted rows.
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
    }

    @Override
    public String name() {
        return "combat";
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("prior", "parametric");
        p.put("batches", String.join(",", new TreeSet<>(batch)));
        p.put("covariates", String.join(",", covariates.keySet()));
        return p;
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (ComBat batch-corrected)";
    }

    /** The design: batch indicators first, then covariate columns. */
    record Design(double[][] x, int nBatch, int[] batchOf, List<String> levels, int[] batchSizes) {
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
        int[] batchOf = new int[n];
        int[] sizes = new int[nb];
        for (int j = 0; j < n; j++) {
            batchOf[j] = levels.indexOf(batch.get(j));
            sizes[batchOf[j]]++;
        }
        List<double[]> cols = new ArrayList<>();
        for (int b = 0; b < nb; b++) {
            double[] c = new double[n];
            for (int j = 0; j < n; j++) c[j] = batchOf[j] == b ? 1 : 0;
            cols.add(c);
        }
        for (Map.Entry<String, List<String>> e : covariates.entrySet()) {
            List<String> v = e.getValue();
            if (v.size() != n) throw new IllegalArgumentException("covariate " + e.getKey() + " has " + v.size() + " values for " + n + " samples");
            double[] num = numeric(v);
            if (num != null) {
                cols.add(num);
            } else {
                List<String> lv = new ArrayList<>(new TreeSet<>(v));
                for (int l = 1; l < lv.size(); l++) {
                    double[] c = new double[n];
                    for (int j = 0; j < n; j++) c[j] = v.get(j).equals(lv.get(l)) ? 1 : 0;
                    cols.add(c);
                }
            }
        }
        // sva drops design columns that are all 1 (an intercept from the covariate model)
        cols.removeIf(c -> { for (double x : c) if (x != 1) return false; return true; });
        double[][] x = new double[n][cols.size()];
        for (int k = 0; k < cols.size(); k++) for (int j = 0; j < n; j++) x[j][k] = cols.get(k)[j];
        if (inverse(crossprod(x)) == null)
            throw new InputFormatException(in.path(), "combat: the covariates (" + String.join(", ", covariates.keySet())
                    + ") are confounded with batch or with each other; remove the confounded covariate");
        return new Design(x, nb, batchOf, levels, sizes);
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

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        Design d = design(in);
        int n = in.cols();
        int g = (int) in.rows();
        int nb = d.nBatch();
        int p = d.p();
        boolean meanOnly = false;
        for (int b = 0; b < nb; b++) if (d.batchSizes()[b] == 1) {
            meanOnly = true;
            ctx.log().accept("combat: batch " + d.levels().get(b) + " has one sample: mean-only adjustment (as sva)");
        }
        double[][] xtxInv = inverse(crossprod(d.x()));
        // projection (X'X)^-1 X', p x n
        double[][] proj = new double[p][n];
        for (int k = 0; k < p; k++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int l = 0; l < p; l++) s += xtxInv[k][l] * d.x()[j][l];
            proj[k][j] = s;
        }
        double[][] coef = new double[g][];
        double[] varPooled = new double[g];
        double[][] gammaHat = new double[nb][g];
        double[][] deltaHat = new double[nb][g];
        double[][] sumSq = new double[nb][g];
        boolean[] passThrough = new boolean[g];
        long[] nPass = new long[1];
        boolean finalMeanOnly = meanOnly;
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            double[] y = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < tile.rows(); i++) {
                int gi = (int) (r0 + i);
                for (int j = 0; j < n; j++) {
                    y[j] = tile.get(i, j);
                    if (!Double.isFinite(y[j])) throw new InputFormatException(in.path(), "combat needs complete data, found "
                            + (Double.isNaN(y[j]) ? "a missing value" : "an infinite value") + " at feature "
                            + in.featureIds().get(gi) + ", sample " + in.sampleIds().get(j) + " (impute first)");
                }
                if (zeroVarianceInABatch(y, d)) {
                    passThrough[gi] = true;
                    nPass[0]++;
                    continue;
                }
                double[] beta = new double[p];
                for (int k = 0; k < p; k++) {
                    double acc = 0;
                    for (int j = 0; j < n; j++) acc += proj[k][j] * y[j];
                    beta[k] = acc;
                }
                coef[gi] = beta;
                double vp = 0;
                for (int j = 0; j < n; j++) {
                    double fit = 0;
                    for (int k = 0; k < p; k++) fit += d.x()[j][k] * beta[k];
                    vp += (y[j] - fit) * (y[j] - fit);
                }
                vp /= n;
                varPooled[gi] = vp;
                double sd = Math.sqrt(vp);
                for (int j = 0; j < n; j++) s[j] = (y[j] - standMean(beta, d, j)) / sd;
                for (int b = 0; b < nb; b++) {
                    double sum = 0, sq = 0;
                    int m = 0;
                    for (int j = 0; j < n; j++) if (d.batchOf()[j] == b) {
                        sum += s[j];
                        m++;
                    }
                    double mean = sum / m;
                    for (int j = 0; j < n; j++) if (d.batchOf()[j] == b) sq += (s[j] - mean) * (s[j] - mean);
                    gammaHat[b][gi] = mean;
                    deltaHat[b][gi] = finalMeanOnly ? 1 : sq / (m - 1);
                    sumSq[b][gi] = sq;
                }
            }
        });
        if (nPass[0] > 0) ctx.log().accept("combat: " + nPass[0] + " features with zero variance within a batch passed through unchanged (as sva)");
        if (nPass[0] == g) throw new InputFormatException(in.path(), "combat: every feature has zero variance within some batch");

        double[][] gammaStar = new double[nb][g];
        double[][] deltaStar = new double[nb][g];
        for (int b = 0; b < nb; b++) {
            double gBar = mean(gammaHat[b], passThrough);
            double t2 = var(gammaHat[b], passThrough, gBar);
            if (meanOnly) {
                for (int i = 0; i < g; i++) if (!passThrough[i]) {
                    gammaStar[b][i] = (t2 * gammaHat[b][i] + gBar) / (t2 + 1);
                    deltaStar[b][i] = 1;
                }
                continue;
            }
            double dm = mean(deltaHat[b], passThrough);
            double s2 = var(deltaHat[b], passThrough, dm);
            double aPrior = (2 * s2 + dm * dm) / s2;
            double bPrior = (dm * s2 + dm * dm * dm) / s2;
            iterate(b, d.batchSizes()[b], gammaHat[b], deltaHat[b], sumSq[b], gBar, t2, aPrior, bPrior, passThrough,
                    gammaStar[b], deltaStar[b]);
        }
        return StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++) {
                int gi = (int) (r0 + i);
                if (passThrough[gi]) {
                    for (int j = 0; j < n; j++) dst.set(i, j, src.get(i, j));
                    continue;
                }
                double sd = Math.sqrt(varPooled[gi]);
                for (int j = 0; j < n; j++) {
                    int b = d.batchOf()[j];
                    double sm = standMean(coef[gi], d, j);
                    double sj = (src.get(i, j) - sm) / sd;
                    double adj = (sj - gammaStar[b][gi]) / Math.sqrt(deltaStar[b][gi]);
                    dst.set(i, j, (float) (adj * sd + sm));
                }
            }
        });
    }

    /** sva's {@code it.sol} for one batch, over all features at once (its stopping rule is global). */
    private static void iterate(int b, int nB, double[] gHat, double[] dHat, double[] sumSqAroundHat, double gBar, double t2,
                                double a, double bb, boolean[] skip, double[] gOut, double[] dOut) {
        int g = gHat.length;
        double[] gOld = gHat.clone();
        double[] dOld = dHat.clone();
        double change = 1;
        while (change > 1e-4) {
            change = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < g; i++) {
                if (skip[i]) continue;
                double gNew = (t2 * nB * gHat[i] + dOld[i] * gBar) / (t2 * nB + dOld[i]);
                // sum over the batch of (s - gNew)^2 = sum (s - gHat)^2 + n (gHat - gNew)^2
                double sum2 = sumSqAroundHat[i] + nB * (gHat[i] - gNew) * (gHat[i] - gNew);
                double dNew = (0.5 * sum2 + bb) / (nB / 2.0 + a - 1);
                change = Math.max(change, Math.max(Math.abs(gNew - gOld[i]) / gOld[i], Math.abs(dNew - dOld[i]) / dOld[i]));
                gOld[i] = gNew;
                dOld[i] = dNew;
            }
        }
        System.arraycopy(gOld, 0, gOut, 0, g);
        System.arraycopy(dOld, 0, dOut, 0, g);
    }

    /** Grand mean (batch coefficients weighted by batch size) plus the covariate effects of sample j. */
    private static double standMean(double[] beta, Design d, int j) {
        int n = d.x().length;
        double m = 0;
        for (int b = 0; b < d.nBatch(); b++) m += (double) d.batchSizes()[b] / n * beta[b];
        for (int k = d.nBatch(); k < d.p(); k++) m += d.x()[j][k] * beta[k];
        return m;
    }

    private static boolean zeroVarianceInABatch(double[] y, Design d) {
        for (int b = 0; b < d.nBatch(); b++) {
            if (d.batchSizes()[b] < 2) continue;
            double first = Double.NaN;
            boolean constant = true;
            for (int j = 0; j < y.length; j++) if (d.batchOf()[j] == b) {
                if (Double.isNaN(first)) first = y[j];
                else if (y[j] != first) {
                    constant = false;
                    break;
                }
            }
            if (constant) return true;
        }
        return false;
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
