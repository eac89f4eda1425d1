package org.omx.engine.network;

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
 * explained is {@code d_1^2 / sum d^2}. The singular vector is found by power iteration on the
 * Gram matrix of the module's smaller side ({@link LeadingSingularVector}), run until the vector
 * changes by less than 1e-12.
 *
 * <p>Module membership kME is the Pearson correlation of each feature with each eigengene, with
 * WGCNA's {@code corPvalueStudent} p-value: {@code t = sqrt(n - 2) r / sqrt(1 - r^2)}, two-sided,
 * n - 2 degrees of freedom.
 */
public final class ModuleEigengenes {

    /** Eigengenes ({@code modules.length x samples}) in module order, with their variance explained. */
    public record Result(int[] modules, double[][] eigengenes, double[] varianceExplained) {
    }

    private ModuleEigengenes() {
    }

    /** Eigengenes of every module label in {@code labels} (0, unassigned, included as WGCNA's grey). */
    public static Result compute(FloatMatrix x, int[] labels) {
        return compute(x, labels, true);
    }

    static Result compute(FloatMatrix x, int[] labels, boolean withUnassigned) {
        int[] modules = Arrays.stream(labels).distinct().filter(l -> withUnassigned || l != 0).sorted().toArray();
        int[][] members = members(labels, modules);
        int n = x.cols();
        double[][] me = new double[modules.length][];
        double[] ve = new double[modules.length];
        float[] buffer = new float[n];
        for (int m = 0; m < modules.length; m++) {
            int[] rows = members[m];
            double[][] z = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) z[r] = standardize(x, rows[r], buffer);
            double[] u = LeadingSingularVector.of(z, n);
            double total = 0;
            double d1 = 0;
            double[] avg = new double[n];
            for (double[] row : z) {
                total += LeadingSingularVector.dot(row, row, n);
                double s = LeadingSingularVector.dot(row, u, n);
                d1 += s * s;
                LeadingSingularVector.axpy(1.0 / rows.length, row, avg, n);
            }
            if (pearson(u, avg) < 0) for (int j = 0; j < n; j++) u[j] = -u[j];
            me[m] = u;
            ve[m] = d1 / total;
        }
        return new Result(modules, me, ve);
    }

    /** The row indices of each module, in one pass over the labels. */
    private static int[][] members(int[] labels, int[] modules) {
        int[] count = new int[modules.length];
        int[] slot = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            slot[i] = Arrays.binarySearch(modules, labels[i]);
            if (slot[i] >= 0) count[slot[i]]++;
        }
        int[][] out = new int[modules.length][];
        for (int m = 0; m < modules.length; m++) out[m] = new int[count[m]];
        Arrays.fill(count, 0);
        for (int i = 0; i < labels.length; i++) if (slot[i] >= 0) out[slot[i]][count[slot[i]]++] = i;
        return out;
    }

    /** Row {@code row} of x standardized; {@code buffer} (x.cols() floats) receives the row in one bulk copy. */
    static double[] standardize(FloatMatrix x, int row, float[] buffer) {
        int n = x.cols();
        x.copyRow(row, buffer, 0);
        // missing values (NaN): mean and sd over the present ones, then 0 (the mean) in their place
        double[] v = new double[n];
        double mean = 0;
        int present = 0;
        for (int j = 0; j < n; j++) {
            v[j] = buffer[j];
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
        int n = x.cols();
        int k = r.modules().length;
        // eigengenes centred and scaled to unit length: a complete row's correlation is then one dot
        // product of the centred row, divided by the row's length
        double[][] e = new double[k][];
        for (int m = 0; m < k; m++) {
            e[m] = r.eigengenes()[m].clone();
            double mean = 0;
            for (double v : e[m]) mean += v;
            mean /= n;
            for (int j = 0; j < n; j++) e[m][j] -= mean;
            LeadingSingularVector.normalize(e[m]);
        }
        double[][] out = new double[x.rows()][k];
        float[] buffer = new float[n];
        double[] row = new double[n];
        for (int i = 0; i < x.rows(); i++) {
            x.copyRow(i, buffer, 0);
            boolean complete = true;
            double mean = 0;
            for (int j = 0; j < n; j++) {
                row[j] = buffer[j];
                mean += row[j];
                if (Double.isNaN(row[j])) complete = false;
            }
            if (!complete) {
                for (int m = 0; m < k; m++) out[i][m] = ModuleOutputs.pairwisePearson(row, r.eigengenes()[m])[0];
                continue;
            }
            mean /= n;
            for (int j = 0; j < n; j++) row[j] -= mean;
            double norm = Math.sqrt(LeadingSingularVector.dot(row, row, n));
            for (int m = 0; m < k; m++) out[i][m] = LeadingSingularVector.dot(row, e[m], n) / norm;
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
