package org.omx.engine.network;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.omx.kernels.api.FloatMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Module eigengenes (WGCNA {@code moduleEigengenes}): for each module, the module's features are
 * standardized (mean 0, sd 1 across samples) and the eigengene is the first left singular vector
 * over samples, of unit length, with its sign chosen so that it correlates positively with the
 * average standardized expression of the module (WGCNA's {@code align = "along average"}). Variance
 * explained is {@code d_1^2 / sum d^2}. The singular vector is found by power iteration on
 * {@code M^T M} applied as two matrix-vector products (no samples x samples matrix), run until the
 * vector changes by less than 1e-12.
 *
 * <p>Module membership kME is the Pearson correlation of each feature with each eigengene, with
 * WGCNA's {@code corPvalueStudent} p-value: {@code t = sqrt(n - 2) r / sqrt(1 - r^2)}, two-sided,
 * n - 2 degrees of freedom.
 */
public final class ModuleEigengenes {

    /** Eigengenes ({@code modules.length x samples}) in module order, with their variance explained. */
    public record Result(int[] modules, double[][] eigengenes, double[] varianceExplained) {
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private ModuleEigengenes() {
    }

    /** Eigengenes of every module label in {@code labels} (0, unassigned, included as WGCNA's grey). */
    public static Result compute(FloatMatrix x, int[] labels) {
        return compute(x, labels, true);
    }

    static Result compute(FloatMatrix x, int[] labels, boolean withUnassigned) {
        int[] modules = Arrays.stream(labels).distinct().filter(l -> withUnassigned || l != 0).sorted().toArray();
        int n = x.cols();
        double[][] me = new double[modules.length][];
        double[] ve = new double[modules.length];
        for (int m = 0; m < modules.length; m++) {
            int label = modules[m];
            int[] rows = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
            double[][] z = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) z[r] = standardize(x, rows[r]);
            double[] u = firstSingularVector(z, n);
            double total = 0;
            for (double[] row : z) for (double v : row) total += v * v;
            double d1 = 0;
            for (double[] row : z) {
                double s = 0;
                for (int j = 0; j < n; j++) s += row[j] * u[j];
                d1 += s * s;
            }
            double[] avg = new double[n];
            for (double[] row : z) for (int j = 0; j < n; j++) avg[j] += row[j] / rows.length;
            if (pearson(u, avg) < 0) for (int j = 0; j < n; j++) u[j] = -u[j];
            me[m] = u;
            ve[m] = d1 / total;
        }
        return new Result(modules, me, ve);
    }

    static double[] standardize(FloatMatrix x, int row) {
        int n = x.cols();
        // missing values (NaN): mean and sd over the present ones, then 0 (the mean) in their place
        double[] v = new double[n];
        double mean = 0;
        int present = 0;
        for (int j = 0; j < n; j++) {
            v[j] = x.get(row, j);
            if (!Double.isNaN(v[j])) {
                mean += v[j];
                present++;
            }
        }
        mean /= present;
        double ss = 0;
        for (int j = 0; j < n; j++) if (!Double.isNaN(v[j])) ss += (v[j] - mean) * (v[j] - mean);
        double sd = Math.sqrt(ss / (present - 1));
        for (int j = 0; j < n; j++) v[j] = sd > 0 && !Double.isNaN(v[j]) ? (v[j] - mean) / sd : 0;
        return v;
    }

    /**
     * Leading eigenvector of {@code Z^T Z} (Z: features x samples) by power iteration. When the module
     * has more than n / 4 features, the n x n matrix {@code Z^T Z} is formed once (symmetric rank-1
     * updates) and iterated on directly, n^2 per step instead of 2 n x features: the unassigned
     * "module" of noise features has a small eigengap and may need hundreds of steps.
     */
    static double[] firstSingularVector(double[][] z, int n) {
        double[] u = new double[n];
        // start from the average profile plus a fixed perturbation: never orthogonal to the answer in practice
        for (double[] row : z) for (int j = 0; j < n; j++) u[j] += row[j];
        for (int j = 0; j < n; j++) u[j] += 1e-3 * Math.sin(j + 1.0);
        normalize(u);
        double[][] gram = z.length > n / 4 ? gram(z, n) : null;
        double[] w = new double[n];
        for (int it = 0; it < 100_000; it++) {
            Arrays.fill(w, 0);
            if (gram != null) {
                for (int i = 0; i < n; i++) w[i] = dot(gram[i], u, n);
            } else {
                for (double[] row : z) {
                    double s = 0;
                    for (int j = 0; j < n; j++) s += row[j] * u[j];
                    for (int j = 0; j < n; j++) w[j] += s * row[j];
                }
            }
            normalize(w);
            double diff = 0;
            for (int j = 0; j < n; j++) diff = Math.max(diff, Math.abs(w[j] - u[j]));
            System.arraycopy(w, 0, u, 0, n);
            if (diff < 1e-12) break;
        }
        return u;
    }

    /** {@code Z^T Z}, n x n, as a sum of outer products of the rows (upper triangle, then mirrored). */
    private static double[][] gram(double[][] z, int n) {
        double[][] g = new double[n][n];
        for (double[] row : z)
            for (int i = 0; i < n; i++) {
                double a = row[i];
                if (a == 0) continue;
                double[] gi = g[i];
                DoubleVector av = DoubleVector.broadcast(D, a);
                int j = i;
                for (int vn = i + D.loopBound(n - i); j < vn; j += D.length())
                    DoubleVector.fromArray(D, row, j).fma(av, DoubleVector.fromArray(D, gi, j)).intoArray(gi, j);
                for (; j < n; j++) gi[j] += a * row[j];
            }
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) g[i][j] = g[j][i];
        return g;
    }

    /** {@code sum_j a[j] b[j]} over j < n in Vector API lanes (the power iteration's inner loop). */
    static double dot(double[] a, double[] b, int n) {
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (int vn = D.loopBound(n); j < vn; j += D.length()) acc = DoubleVector.fromArray(D, a, j).fma(DoubleVector.fromArray(D, b, j), acc);
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) s += a[j] * b[j];
        return s;
    }

    private static void normalize(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        s = Math.sqrt(s);
        if (s > 0) for (int j = 0; j < v.length; j++) v[j] /= s;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** kME: correlation of each feature (row of x) with each eigengene, {@code features x modules}. */
    public static double[][] kME(FloatMatrix x, Result r) {
        double[][] out = new double[x.rows()][r.modules().length];
        double[] row = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) row[j] = x.get(i, j);
            boolean complete = java.util.Arrays.stream(row).noneMatch(Double::isNaN);
            for (int m = 0; m < r.modules().length; m++)
                out[i][m] = complete ? pearson(row, r.eigengenes()[m]) : ModuleOutputs.pairwisePearson(row, r.eigengenes()[m])[0];
        }
        return out;
    }

    /** Two-sided Student p-value of a correlation over n samples (WGCNA {@code corPvalueStudent}). */
    public static double corPvalueStudent(double r, int n) {
        double df = n - 2;
        double t = Math.sqrt(df) * r / Math.sqrt(1 - r * r);
        if (Double.isInfinite(t)) return 0;
        return StudentT.twoSidedP(t, df);
    }

    /**
     * Merges modules whose eigengenes correlate at {@code >= 1 - cutHeight} (WGCNA {@code mergeCloseModules}):
     * average-linkage clustering of {@code 1 - cor} between eigengenes of assigned modules, cut at
     * cutHeight, modules in one branch merged; repeated on the new eigengenes until nothing merges.
     * Returns labels renumbered by size (1 = largest), 0 kept for unassigned.
     */
    public static int[] mergeClose(FloatMatrix x, int[] labels, double cutHeight) {
        return mergeClose(List.of(x), labels, cutHeight);
    }

    /**
     * Consensus merging over several sets with the same features (WGCNA {@code mergeCloseModules} on a
     * multiExpr, consensusQuantile = 0): eigengenes per set, dissimilarity {@code 1 - min over sets of cor}.
     */
    public static int[] mergeClose(List<FloatMatrix> sets, int[] labels, double cutHeight) {
        return mergeClose(sets, labels, cutHeight, 0);
    }

    /**
     * The same with WGCNA's {@code consensusQuantile}: the consensus correlation of two eigengenes is the
     * type-7 {@code consensusQuantile} quantile of their per-set correlations (0: the minimum). WGCNA takes
     * the 1 - q quantile of the dissimilarities, the same number.
     */
    public static int[] mergeClose(List<FloatMatrix> sets, int[] labels, double cutHeight, double consensusQuantile) {
        SetQuantile.check(consensusQuantile);
        double[] perSetCor = new double[sets.size()];
        int[] cur = labels.clone();
        while (true) {
            List<Result> perSet = new ArrayList<>();
            for (FloatMatrix x : sets) perSet.add(compute(x, cur, false));
            Result r = perSet.getFirst();
            List<Integer> idx = new ArrayList<>();
            for (int m = 0; m < r.modules().length; m++) if (r.modules()[m] != 0) idx.add(m);
            int k = idx.size();
            if (k < 2) break;
            float[] d = new float[k * k];
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++) {
                    if (a == b) continue;
                    for (int s = 0; s < perSet.size(); s++)
                        perSetCor[s] = pearson(perSet.get(s).eigengenes()[idx.get(a)], perSet.get(s).eigengenes()[idx.get(b)]);
                    d[a * k + b] = (float) (1 - SetQuantile.of(perSetCor, perSet.size(), consensusQuantile));
                }
            HierarchicalClustering.Tree tree = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(d, k, k));
            // union the modules joined at or below the cut
            int[] group = new int[k];
            for (int a = 0; a < k; a++) group[a] = a;
            int[] rep = new int[k - 1];
            boolean merged = false;
            for (int s = 0; s < k - 1; s++) {
                int[] mm = tree.merge()[s];
                int ra = mm[0] < 0 ? -mm[0] - 1 : rep[mm[0] - 1];
                int rb = mm[1] < 0 ? -mm[1] - 1 : rep[mm[1] - 1];
                if (tree.height()[s] < cutHeight) {
                    int ga = root(group, ra);
                    int gb = root(group, rb);
                    group[gb] = ga;
                    merged = true;
                }
                rep[s] = ra;
            }
            if (!merged) break;
            TreeMap<Integer, Integer> newLabel = new TreeMap<>();
            for (int a = 0; a < k; a++) newLabel.put(r.modules()[idx.get(a)], r.modules()[idx.get(root(group, a))]);
            for (int i = 0; i < cur.length; i++) if (cur[i] != 0) cur[i] = newLabel.get(cur[i]);
        }
        return renumberBySize(cur);
    }

    private static int root(int[] p, int x) {
        while (p[x] != x) x = p[x];
        return x;
    }

    static int[] renumberBySize(int[] labels) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (int l : labels) if (l != 0) ids.add(l);
        List<int[]> modules = new ArrayList<>();
        for (int id : ids) modules.add(java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == id).toArray());
        return DynamicTreeCut.relabelBySize(labels.length, modules);
    }
}
