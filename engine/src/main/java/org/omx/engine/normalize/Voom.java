package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * limma's {@code voom} (Law et al. 2014): log-CPM values and a precision weight for every
 * observation. As limma 3.54 computes it:
 * <ol>
 * <li>{@code E = log2((count + 0.5) / (L + 1) * 1e6)}, with L the library size (times the TMM
 * factor when chosen, as {@code voom(calcNormFactors(DGEList(counts)))} does);</li>
 * <li>a per-gene linear model, here the intercept-only design or one-way groups (the design
 * {@code model.matrix(~ group)}): fitted values are the gene's (group) means, the residual standard
 * deviation {@code s} has {@code n - groups} degrees of freedom;</li>
 * <li>the mean-variance trend: {@code lowess(x, sqrt(s), f = 0.5)} with
 * {@code x = mean(E) + mean(log2(L + 1)) - log2(1e6)} over the genes with any count, then
 * {@code approxfun(rule = 2)} of that curve;</li>
 * <li>weights {@code 1 / trend(fitted + log2(L + 1) - log2(1e6))^4}.</li>
 * </ol>
 * Writes E to the output store and the weights to a second store, by default the sibling
 * {@link #weightsPath(Path)} ({@code NAME.weights.omx} next to {@code NAME.omx}). Stated handling:
 * with no residual degrees of freedom (one sample per group) every weight is 1, as limma does, and
 * this is logged; all-zero genes get E and weights but take no part in the trend (also limma's).
 * Passes: library sizes (and TMM), one row pass that writes E and keeps two to {@code groups + 1}
 * doubles per gene, the trend in memory, one row pass for the weights.
 */
public final class Voom implements Normalization {

    /** limma's default span for the trend. */
    public static final double SPAN = 0.5;

    private final boolean tmm;
    private final List<String> groups;
    private final String groupColumn;
    private final Path weightsOut;

    /**
     * @param groups      per sample of the input, in its order, the group label; null for the
     *                    intercept-only design
     * @param groupColumn the column the groups came from (for provenance); null without groups
     * @param weightsOut  where to write the weights; null for {@link #weightsPath(Path)}
     */
    public Voom(boolean tmm, List<String> groups, String groupColumn, Path weightsOut) {
        this.tmm = tmm;
        this.groups = groups == null ? null : List.copyOf(groups);
        this.groupColumn = groupColumn;
        this.weightsOut = weightsOut;
    }

    public Voom(boolean tmm) {
        this(tmm, null, null, null);
    }

    /** The weights store for an E store: {@code NAME.weights.omx} beside {@code NAME.omx}. */
    public static Path weightsPath(Path out) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".omx") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + ".weights.omx");
    }

    @Override
    public String name() {
        return "voom";
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("normFactors", tmm ? "TMM" : "none");
        p.put("design", groups == null ? "~ 1" : "~ " + (groupColumn == null ? "group" : groupColumn));
        p.put("span", String.valueOf(SPAN));
        return p;
    }

    @Override
    public String units(String inputUnits) {
        return "log2 CPM (voom: count + 0.5, library + 1" + (tmm ? ", TMM)" : ")");
    }

    /** What voom computed besides the stores. */
    public record Result(StoreMeta expression, StoreMeta weights, Path weightsPath, double[] librarySizes,
                         Lowess.Curve trend) {
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        return run(in, out, overwrite, ctx).expression();
    }

    public Result run(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        int n = in.cols();
        if (in.rows() < 2) throw new InputFormatException(in.path(), "voom needs at least two genes to fit a mean-variance trend");
        if (in.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 genes");
        int g = (int) in.rows();
        // design: group index per sample
        int[] group = new int[n];
        int k = 1;
        if (groups != null) {
            if (groups.size() != n) throw new IllegalArgumentException(groups.size() + " group labels for " + n + " samples");
            Map<String, Integer> idx = new LinkedHashMap<>();
            for (int j = 0; j < n; j++) group[j] = idx.computeIfAbsent(groups.get(j), s -> idx.size());
            k = idx.size();
        }
        int[] groupSize = new int[k];
        for (int j = 0; j < n; j++) groupSize[group[j]]++;
        int df = n - k;

        double[] lib = Cpm.effectiveLibrarySizes(in, tmm, ctx, name());
        double[] logLib = new double[n];      // log2(L + 1) - log2(1e6)
        double[] shift = new double[n];       // log2(1e6) - log2(L + 1), so E = log2(c + 0.5) + shift
        double meanLogLib = 0;
        double log2e6 = log2(1e6);
        for (int j = 0; j < n; j++) {
            double l = log2(lib[j] + 1);
            meanLogLib += l;
            logLib[j] = l - log2e6;
            shift[j] = log2e6 - l;
        }
        meanLogLib /= n;

        double[] amean = new double[g];
        double[] sigma = new double[g];
        double[] fitted = new double[g * k];  // group means of E per gene
        boolean[] allZero = new boolean[g];
        int kk = k;
        StoreDescription eDesc = StoreTransform.describe(in, this);
        StoreMeta eMeta = StoreTransform.mapRows(in, out, overwrite, eDesc, ctx, (src, dst, r0) -> {
            double[] e = new double[n];
            double[] sum = new double[kk];
            for (int i = 0; i < src.rows(); i++) {
                int gi = (int) (r0 + i);
                double total = 0;
                java.util.Arrays.fill(sum, 0);
                for (int j = 0; j < n; j++) {
                    double c = src.get(i, j);
                    total += c;
                    e[j] = log2(c + 0.5) + shift[j];
                    sum[group[j]] += e[j];
                    dst.set(i, j, (float) e[j]);
                }
                double all = 0;
                for (int q = 0; q < kk; q++) {
                    all += sum[q];
                    fitted[gi * kk + q] = sum[q] / groupSize[q];
                }
                amean[gi] = all / n;
                double ss = 0;
                for (int j = 0; j < n; j++) {
                    double r = e[j] - fitted[gi * kk + group[j]];
                    ss += r * r;
                }
                sigma[gi] = df > 0 ? Math.sqrt(ss / df) : Double.NaN;
                allZero[gi] = total == 0;
            }
        });

        Path wPath = weightsOut != null ? weightsOut : weightsPath(out);
        StoreDescription wDesc = new StoreDescription(eDesc.layer(), eDesc.omicsType(), "voom precision weights",
                eDesc.provenance(), eDesc.annotations());
        if (df <= 0) {
            ctx.log().accept("voom: the design has no residual degrees of freedom (" + n + " samples, " + k
                    + " groups); all weights set to 1, as limma does");
            StoreMeta wMeta = StoreTransform.mapRows(in, wPath, overwrite, wDesc, ctx, (src, dst, r0) -> {
                for (int i = 0; i < src.rows(); i++) for (int j = 0; j < n; j++) dst.set(i, j, 1f);
            });
            return new Result(eMeta, wMeta, wPath, lib, null);
        }

        List<Double> sxList = new ArrayList<>();
        List<Double> syList = new ArrayList<>();
        long zero = 0;
        for (int i = 0; i < g; i++) {
            if (allZero[i]) {
                zero++;
                continue;
            }
            sxList.add(amean[i] + meanLogLib - log2e6);
            syList.add(Math.sqrt(sigma[i]));
        }
        if (sxList.size() < 2)
            throw new InputFormatException(in.path(), "voom needs at least two genes with counts to fit a mean-variance trend");
        if (zero > 0) ctx.log().accept("voom: " + zero + " all-zero genes left out of the mean-variance trend");
        double[] sx = sxList.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sy = syList.stream().mapToDouble(Double::doubleValue).toArray();
        Lowess.Curve curve = Lowess.fit(sx, sy, SPAN, 3);
        LinearInterpolation trend = new LinearInterpolation(curve.x(), curve.y());

        StoreMeta wMeta = StoreTransform.mapRows(in, wPath, overwrite, wDesc, ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++) {
                int gi = (int) (r0 + i);
                for (int j = 0; j < n; j++) {
                    double t = trend.at(fitted[gi * kk + group[j]] + logLib[j]);
                    double t2 = t * t;
                    dst.set(i, j, (float) (1 / (t2 * t2)));
                }
            }
        });
        return new Result(eMeta, wMeta, wPath, lib, curve);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
