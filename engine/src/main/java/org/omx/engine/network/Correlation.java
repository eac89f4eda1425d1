package org.omx.engine.network;

import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Correlations between features (rows) across samples (columns), computed as products of
 * standardized rows: each row is turned into a unit vector {@code z_i} such that
 * {@code cor(i, j) = z_i . z_j}, and any block of the correlation matrix is one backend GEMM
 * {@code Z_I Z_J^T}. The standardized matrix is features x samples, small beside the features x
 * features results, and is held in memory for the whole network.
 *
 * <ul>
 *   <li>Pearson: {@code z = (x - mean) / sqrt(sum (x - mean)^2)} (backend rowMeanVariance, scaleRows).</li>
 *   <li>Spearman: backend rowRanks (ties averaged), then Pearson.</li>
 *   <li>Bicor (WGCNA {@code bicor}, Langfelder and Horvath 2012, J Stat Softw 46(11)):
 *       {@code u = (x - med) / (9 mad)} with the raw median absolute deviation, weights
 *       {@code w = (1 - u^2)^2} for {@code |u| < 1} else 0, {@code z ~ (x - med) w} scaled to unit
 *       length. With {@code maxPOutliers < 1}, on each side of the median separately, u is rescaled
 *       so that the {@code maxPOutliers} (resp. {@code 1 - maxPOutliers}) quantile lands at |u| = 1
 *       when it would fall beyond it. A feature whose mad is 0 falls back to Pearson
 *       (WGCNA's {@code pearsonFallback = "individual"}). Medians have no Backend primitive and are
 *       computed here on the engine side.</li>
 * </ul>
 *
 * Missing values (NaN) with Pearson: pairwise-complete correlation, as R's
 * {@code cor(use = "pairwise.complete.obs")} and WGCNA's {@code cor(use = "p")}. Each row is centred
 * and scaled by its own mean and sd over its present values, missing entries set to 0, and a 0/1 mask
 * M kept beside it; for a pair over their common samples S,
 * {@code r = (Sxy - Sx Sy / n) / sqrt((Sxx - Sx^2 / n)(Syy - Sy^2 / n))} with
 * {@code Sxy = Z Z^T, Sx = Z M^T, Sy = M Z^T, Sxx = Z^2 M^T, Syy = M (Z^2)^T, n = M M^T}: six GEMMs per
 * tile instead of one, float64 accumulation. The fast path (one GEMM of unit rows) is taken whenever
 * nothing is missing. Spearman and bicor with missing values are refused (their pairwise versions
 * re-rank or re-weight per pair). A feature with fewer than 3 present values, or constant over them,
 * is an error that names it; a pair with fewer than 3 common samples, or constant over them, gets r = 0
 * (logged, counted) rather than NaN.
 */
public final class Correlation implements AutoCloseable {

    /** Fewest non-missing values for a correlation to be defined at all. */
    public static final int MIN_VALUES = 3;

    private final Arena arena;
    private final FloatMatrix z;
    private final CorrelationMethod method;
    /** Pairwise mode only (else null): the present-value mask and the squares of z. */
    private final FloatMatrix mask;
    private final FloatMatrix zz;
    private final java.util.concurrent.atomic.AtomicLong undefinedPairs = new java.util.concurrent.atomic.AtomicLong();

    private Correlation(Arena arena, FloatMatrix z, CorrelationMethod method, FloatMatrix mask, FloatMatrix zz) {
        this.arena = arena;
        this.z = z;
        this.method = method;
        this.mask = mask;
        this.zz = zz;
    }

    /**
     * Standardizes the rows of {@code x} (features x samples) for {@code method}.
     *
     * @param featureIds names used in error messages, one per row
     * @param maxPOutliers bicor only: WGCNA's {@code maxPOutliers} in (0, 1]; 1 disables broadening
     */
    public static Correlation standardize(Backend backend, FloatMatrix x, List<String> featureIds, CorrelationMethod method,
                                          double maxPOutliers, int threads) {
        int g = x.rows();
        int n = x.cols();
        if (!(maxPOutliers > 0 && maxPOutliers <= 1))
            throw new NetworkInputException("maxPOutliers must be in (0, 1], got " + maxPOutliers);
        if (n < MIN_VALUES)
            throw new NetworkInputException("correlations need at least " + MIN_VALUES + " samples; the data has " + n);
        Arena arena = Arena.ofShared();
        try {
            FloatMatrix z = AnonymousMemory.allocate(arena, g, n);   // huge pages: zero-filling 40 MB on 4 KiB pages cost 0.09 s
            for (int i = 0; i < g; i++) MemorySegment.copy(x.segment(), x.byteOffset(i, 0), z.segment(), z.byteOffset(i, 0), 4L * n);
            double[] mean = new double[g];
            double[] var = new double[g];
            int[] count = new int[g];
            backend.rowMeanVariance(z, mean, var, count);
            boolean missing = Arrays.stream(count).anyMatch(c -> c < n);
            if (missing && method == CorrelationMethod.PEARSON) {
                checkMissingAndConstant(featureIds, n, var, count, true);
                return pairwise(arena, z, mean, var);
            }
            checkMissingAndConstant(featureIds, n, var, count, false);
            if (method == CorrelationMethod.SPEARMAN) {
                backend.rowRanks(z, z);
                backend.rowMeanVariance(z, mean, var, count);
            }
            if (method == CorrelationMethod.BICOR) {
                Parallel.forEach(threads, g, i -> bicorRow(z, i, mean[i], maxPOutliers));
            } else {
                double[] scale = new double[g];
                double[] shift = new double[g];
                for (int i = 0; i < g; i++) {
                    scale[i] = 1 / Math.sqrt(var[i] * (n - 1));
                    shift[i] = -mean[i] * scale[i];
                }
                backend.scaleRows(z, scale, shift, z);
            }
            return new Correlation(arena, z, method, null, null);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Pairwise mode: z = (x - mean) / sd over present values, 0 where missing; the mask; z^2. */
    private static Correlation pairwise(Arena arena, FloatMatrix z, double[] mean, double[] var) {
        int g = z.rows();
        int n = z.cols();
        FloatMatrix mask = AnonymousMemory.allocate(arena, g, n);
        FloatMatrix zz = AnonymousMemory.allocate(arena, g, n);
        float[] row = new float[n];
        float[] m = new float[n];
        float[] q = new float[n];
        for (int i = 0; i < g; i++) {
            z.copyRow(i, row, 0);
            double sd = Math.sqrt(var[i]);
            for (int j = 0; j < n; j++) {
                boolean present = !Float.isNaN(row[j]);
                m[j] = present ? 1f : 0f;
                row[j] = present ? (float) ((row[j] - mean[i]) / sd) : 0f;
                q[j] = row[j] * row[j];
            }
            z.setRow(i, row, 0);
            mask.setRow(i, m, 0);
            zz.setRow(i, q, 0);
        }
        return new Correlation(arena, z, CorrelationMethod.PEARSON, mask, zz);
    }

    /** True when correlations are pairwise-complete (some value was missing). */
    public boolean pairwise() {
        return mask != null;
    }

    /**
     * Pairs so far with fewer than 3 common samples or no variance over them (given r = 0), each
     * counted where a block covered its upper-triangle entry (row before column).
     */
    public long undefinedPairs() {
        return undefinedPairs.get();
    }

    private static void checkMissingAndConstant(List<String> ids, int n, double[] var, int[] count, boolean pairwiseAllowed) {
        List<String> tooFew = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> constant = new ArrayList<>();
        for (int i = 0; i < var.length; i++) {
            if (count[i] < MIN_VALUES) tooFew.add(ids.get(i) + " (" + count[i] + " of " + n + ")");
            else if (count[i] < n) missing.add(ids.get(i) + " (" + (n - count[i]) + " of " + n + " missing)");
            else if (!(var[i] > 0)) constant.add(ids.get(i));
        }
        if (!tooFew.isEmpty())
            throw new NetworkInputException(tooFew.size() + " feature(s) with too few non-missing values (need at least "
                    + MIN_VALUES + "): " + list(tooFew) + "; remove them before building a network");
        if (!missing.isEmpty() && !pairwiseAllowed)
            throw new NetworkInputException(missing.size() + " feature(s) with missing values: " + list(missing)
                    + "; pairwise-complete correlation is implemented for --corr pearson only (impute or remove them, or use pearson)");
        if (!constant.isEmpty())
            throw new NetworkInputException(constant.size() + " constant feature(s), whose correlations are undefined: "
                    + list(constant) + "; remove them (e.g. filter by variance) before building a network");
    }

    static String list(List<String> items) {
        int show = Math.min(5, items.size());
        String head = String.join(", ", items.subList(0, show));
        return items.size() > show ? head + String.format(Locale.ROOT, ", ... (%d more)", items.size() - show) : head;
    }

    /** Replaces row i of z by its unit-length biweight-standardized version. */
    private static void bicorRow(FloatMatrix z, int i, double mean, double maxPOutliers) {
        int n = z.cols();
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = z.get(i, j);
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double med = median(sorted);
        double[] dev = new double[n];
        for (int j = 0; j < n; j++) dev[j] = Math.abs(x[j] - med);
        Arrays.sort(dev);
        double mad = median(dev);
        double[] v = new double[n];
        if (mad == 0) {
            // WGCNA's pearsonFallback = "individual": this feature enters as in Pearson correlation
            for (int j = 0; j < n; j++) v[j] = x[j] - mean;
        } else {
            double lowScale = 1;
            double highScale = 1;
            if (maxPOutliers < 1) {
                double uLow = (quantile(sorted, maxPOutliers) - med) / (9 * mad);
                double uHigh = (quantile(sorted, 1 - maxPOutliers) - med) / (9 * mad);
                if (Math.abs(uLow) > 1) lowScale = Math.abs(uLow);
                if (Math.abs(uHigh) > 1) highScale = Math.abs(uHigh);
            }
            for (int j = 0; j < n; j++) {
                double d = x[j] - med;
                double u = d / (9 * mad) / (d < 0 ? lowScale : highScale);
                double w = Math.abs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0;
                v[j] = d * w;
            }
        }
        double ss = 0;
        for (double e : v) ss += e * e;
        double s = 1 / Math.sqrt(ss);
        for (int j = 0; j < n; j++) z.set(i, j, (float) (v[j] * s));
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** R's default quantile (type 7): linear interpolation between order statistics. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public CorrelationMethod method() {
        return method;
    }

    /** Number of features. */
    public int features() {
        return z.rows();
    }

    public int samples() {
        return z.cols();
    }

    /** The standardized rows: {@code cor(i, j) = sum_s z[i][s] z[j][s]}. */
    public FloatMatrix standardized() {
        return z;
    }

    /** Column panel width of {@link #symmetric}: the products cover 1/2 + 256 / g of the full matrix's FLOPs. */
    static final int PANEL = 512;

    /**
     * The whole {@code g x g} correlation matrix into {@code out}, from its symmetry: for each panel J of
     * {@link #PANEL} columns, the correlations on and below the diagonal block are one tall GEMM
     * {@code Z_[j0, g) Z_J^T} (its small right operand is packed once per GEMM task), and the part below
     * the diagonal block is copied, transposed, into rows J. Returns the floating-point operations the
     * products performed ({@code 2 n} per entry computed).
     */
    public long symmetric(Backend backend, FloatMatrix out, int threads) {
        int g = features();
        long flops = 0;
        for (int j0 = 0; j0 < g; j0 += PANEL) {
            int nj = Math.min(PANEL, g - j0);
            FloatMatrix lower = out.block(j0, j0, g - j0, nj);
            block(backend, j0, j0, lower);
            flops += 2L * samples() * (g - j0) * nj;
            if (g - j0 > nj) TomQuotient.transposeInto(lower.rows(nj, g - j0 - nj), out, j0, j0 + nj, threads);
        }
        return flops;
    }

    /** {@code out = cor(rows r0.., rows c0..)}: one GEMM of standardized row blocks (six in pairwise mode). */
    public void block(Backend backend, int r0, int c0, FloatMatrix out) {
        int a = out.rows();
        int b = out.cols();
        if (mask == null) {
            backend.gemm(Op.N, z.rows(r0, a), Op.T, z.rows(c0, b), 1f, 0f, out, Accumulation.FLOAT32);
            return;
        }
        try (Arena tmp = Arena.ofConfined()) {
            FloatMatrix sx = AnonymousMemory.allocate(tmp, a, b);
            FloatMatrix sy = AnonymousMemory.allocate(tmp, a, b);
            FloatMatrix sxx = AnonymousMemory.allocate(tmp, a, b);
            FloatMatrix syy = AnonymousMemory.allocate(tmp, a, b);
            FloatMatrix cnt = AnonymousMemory.allocate(tmp, a, b);
            backend.gemm(Op.N, z.rows(r0, a), Op.T, z.rows(c0, b), 1f, 0f, out, Accumulation.FLOAT64);
            backend.gemm(Op.N, z.rows(r0, a), Op.T, mask.rows(c0, b), 1f, 0f, sx, Accumulation.FLOAT64);
            backend.gemm(Op.N, mask.rows(r0, a), Op.T, z.rows(c0, b), 1f, 0f, sy, Accumulation.FLOAT64);
            backend.gemm(Op.N, zz.rows(r0, a), Op.T, mask.rows(c0, b), 1f, 0f, sxx, Accumulation.FLOAT64);
            backend.gemm(Op.N, mask.rows(r0, a), Op.T, zz.rows(c0, b), 1f, 0f, syy, Accumulation.FLOAT64);
            backend.gemm(Op.N, mask.rows(r0, a), Op.T, mask.rows(c0, b), 1f, 0f, cnt, Accumulation.FLOAT32);
            float[] o = new float[b], x = new float[b], y = new float[b], xx = new float[b], yy = new float[b], c = new float[b];
            long undefined = 0;
            for (int i = 0; i < a; i++) {
                out.copyRow(i, o, 0);
                sx.copyRow(i, x, 0);
                sy.copyRow(i, y, 0);
                sxx.copyRow(i, xx, 0);
                syy.copyRow(i, yy, 0);
                cnt.copyRow(i, c, 0);
                for (int j = 0; j < b; j++) {
                    double n = c[j];
                    double vx = xx[j] - (double) x[j] * x[j] / n;
                    double vy = yy[j] - (double) y[j] * y[j] / n;
                    double r = (o[j] - (double) x[j] * y[j] / n) / Math.sqrt(vx * vy);
                    if (n < MIN_VALUES || !(vx > 0 && vy > 0) || Double.isNaN(r)) {
                        r = 0;
                        if (r0 + i < c0 + j) undefined++;   // each pair once, from the upper triangle
                    }
                    o[j] = (float) Math.max(-1, Math.min(1, r));
                }
                out.setRow(i, o, 0);
            }
            if (undefined > 0) undefinedPairs.addAndGet(undefined);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
