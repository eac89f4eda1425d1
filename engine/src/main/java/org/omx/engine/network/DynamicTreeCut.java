package org.omx.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dynamic tree cut, hybrid method, first stage (Langfelder, Zhang and Horvath 2008, Bioinformatics
 * 24(5):719; R's {@code cutreeDynamic(method = "hybrid")}), written from the paper's definitions:
 *
 * <ul>
 *   <li>Reference height h0 = 5th percentile of merge heights; cut height defaults to
 *       {@code h0 + 0.99 (max height - h0)}; only merges at or below it are followed.</li>
 *   <li>deepSplit 0..4 sets maxCoreScatter = 0.64, 0.73, 0.82, 0.91, 0.95 and minGap =
 *       3/4 (1 - maxCoreScatter), both relative to (cutHeight - h0).</li>
 *   <li>The core of a branch is its first-joined objects: {@code c0 = minClusterSize / 2 + 1} plus
 *       {@code sqrt(size - c0)}; core scatter is the mean dissimilarity between core objects.</li>
 *   <li>A branch is a module when it has at least minClusterSize objects, its core scatter is at
 *       most the absolute max core scatter, and the gap (merge height minus core scatter) is at least
 *       the absolute min gap.</li>
 *   <li>Walking merges bottom-up: two basic branches that are both modules become a composite branch
 *       holding both; otherwise they join into one basic branch. A basic branch that meets a
 *       composite joins it as a module when it qualifies, else its objects stay unassigned.</li>
 * </ul>
 *
 * The PAM-like second stage (assigning unassigned objects to the nearest module) is available as
 * {@link #assignRemaining}, by average dissimilarity to each module, without WGCNA's
 * pamRespectsDendro and respectSmallClusters refinements. Labels: 0 unassigned, 1 the largest module.
 * This is an independent implementation; agreement with dynamicTreeCut is measured on the fixtures,
 * not guaranteed in every tie and corner.
 */
public final class DynamicTreeCut {

    /** Dissimilarity between objects i and j (a mapped matrix, or 1 - TOM read on the fly). */
    @FunctionalInterface
    public interface Dissimilarity {
        double get(int i, int j);
    }

    static final double[] MAX_CORE_SCATTER = {0.64, 0.73, 0.82, 0.91, 0.95};

    /** Parameters; {@code cutHeight} NaN for the default. */
    public record Options(int minClusterSize, int deepSplit, double cutHeight, boolean pamStage) {
        public Options {
            if (deepSplit < 0 || deepSplit > 4) throw new NetworkInputException("--deep-split must be 0..4, got " + deepSplit);
            if (minClusterSize < 2) throw new NetworkInputException("--min-module-size must be at least 2, got " + minClusterSize);
        }
    }

    private static final class Branch {
        final List<Integer> objects = new ArrayList<>();    // in joining order: the core is a prefix
        final List<int[]> modules = new ArrayList<>();      // composite: its modules' objects
        boolean basic = true;
    }

    private DynamicTreeCut() {
    }

    /** Module labels of the n objects of {@code tree}, using the dissimilarity {@code d} it was built from. */
    public static int[] cut(HierarchicalClustering.Tree tree, Dissimilarity d, Options o) {
        int n = tree.size();
        double[] h = tree.height();
        double[] sorted = h.clone();
        Arrays.sort(sorted);
        double ref = Correlation.quantile(sorted, 0.05);
        double max = sorted[sorted.length - 1];
        double cutHeight = Double.isNaN(o.cutHeight()) ? ref + 0.99 * (max - ref) : Math.min(o.cutHeight(), max);
        double maxCore = MAX_CORE_SCATTER[o.deepSplit()];
        double maxAbsCoreScatter = ref + maxCore * (cutHeight - ref);
        double minAbsGap = (1 - maxCore) * 0.75 * (cutHeight - ref);

        Branch[] branchOf = new Branch[n - 1];   // branch for each merge step
        List<Branch> roots = new ArrayList<>();
        for (int s = 0; s < n - 1 && h[s] <= cutHeight; s++) {
            int a = tree.merge()[s][0];
            int b = tree.merge()[s][1];
            Branch x = a < 0 ? null : branchOf[a - 1];
            Branch y = b < 0 ? null : branchOf[b - 1];
            Branch out;
            if (x == null && y == null) {
                out = new Branch();
                out.objects.add(-a - 1);
                out.objects.add(-b - 1);
            } else if (x == null || y == null) {
                out = x == null ? y : x;
                out.objects.add(x == null ? -a - 1 : -b - 1);   // a singleton joins as unassigned if out is composite
            } else if (x.basic && y.basic) {
                boolean mx = isModule(x, d, h[s], o.minClusterSize(), maxAbsCoreScatter, minAbsGap);
                boolean my = isModule(y, d, h[s], o.minClusterSize(), maxAbsCoreScatter, minAbsGap);
                if (mx && my) {
                    out = new Branch();
                    out.basic = false;
                    out.modules.add(toArray(x.objects));
                    out.modules.add(toArray(y.objects));
                } else {
                    Branch big = x.objects.size() >= y.objects.size() ? x : y;
                    Branch small = big == x ? y : x;
                    big.objects.addAll(small.objects);
                    out = big;
                }
            } else {
                Branch comp = x.basic ? y : x;
                Branch other = comp == x ? y : x;
                if (other.basic) {
                    if (isModule(other, d, h[s], o.minClusterSize(), maxAbsCoreScatter, minAbsGap))
                        comp.modules.add(toArray(other.objects));
                } else {
                    comp.modules.addAll(other.modules);
                }
                out = comp;
            }
            branchOf[s] = out;
        }
        // the branches left at the cut height: a basic one is a module if it qualifies at the cut height
        boolean[] isChild = new boolean[n - 1];
        int steps = 0;
        while (steps < n - 1 && h[steps] <= cutHeight) steps++;
        for (int s = 0; s < steps; s++)
            for (int m : tree.merge()[s]) if (m > 0) isChild[m - 1] = true;
        List<int[]> modules = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            if (isChild[s]) continue;
            Branch br = branchOf[s];
            if (br.basic) {
                if (isModule(br, d, cutHeight, o.minClusterSize(), maxAbsCoreScatter, minAbsGap)) modules.add(toArray(br.objects));
            } else {
                modules.addAll(br.modules);
            }
        }
        int[] labels = relabelBySize(n, modules);
        if (o.pamStage()) assignRemaining(labels, d, cutHeight);
        return labels;
    }

    private static boolean isModule(Branch b, Dissimilarity d, double mergeHeight, int minSize, double maxAbsCoreScatter, double minAbsGap) {
        int size = b.objects.size();
        if (size < minSize) return false;
        double scatter = coreScatter(b.objects, d, minSize);
        return scatter <= maxAbsCoreScatter && mergeHeight - scatter >= minAbsGap;
    }

    /** Mean dissimilarity between the core objects (the first-joined {@code c0 + sqrt(size - c0)}). */
    static double coreScatter(List<Integer> objects, Dissimilarity d, int minSize) {
        int size = objects.size();
        int base = minSize / 2 + 1;
        int core = base < size ? base + (int) Math.sqrt(size - base) : size;
        double sum = 0;
        for (int i = 0; i < core; i++)
            for (int j = i + 1; j < core; j++) sum += d.get(objects.get(i), objects.get(j));
        return core < 2 ? 0 : sum / (core * (core - 1) / 2.0);
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Labels 1.. by decreasing module size (ties by first object), 0 for unassigned. */
    static int[] relabelBySize(int n, List<int[]> modules) {
        List<int[]> sorted = new ArrayList<>(modules);
        sorted.sort((p, q) -> p.length != q.length ? Integer.compare(q.length, p.length)
                : Integer.compare(Arrays.stream(p).min().orElse(0), Arrays.stream(q).min().orElse(0)));
        int[] labels = new int[n];
        for (int m = 0; m < sorted.size(); m++) for (int i : sorted.get(m)) labels[i] = m + 1;
        return labels;
    }

    /**
     * Second stage: each unassigned object joins the module with the smallest average dissimilarity
     * to it, when that average is at most {@code maxDist} (WGCNA's maxPamDist, default the cut height).
     */
    public static void assignRemaining(int[] labels, Dissimilarity d, double maxDist) {
        int k = Arrays.stream(labels).max().orElse(0);
        if (k == 0) return;
        int n = labels.length;
        int[] fixed = labels.clone();
        int[] size = new int[k + 1];
        for (int l : fixed) size[l]++;
        for (int i = 0; i < n; i++) {
            if (fixed[i] != 0) continue;
            double[] sum = new double[k + 1];
            for (int j = 0; j < n; j++) if (fixed[j] != 0) sum[fixed[j]] += d.get(i, j);
            int best = 0;
            double bestAvg = Double.POSITIVE_INFINITY;
            for (int m = 1; m <= k; m++) {
                double avg = sum[m] / size[m];
                if (avg < bestAvg) {
                    bestAvg = avg;
                    best = m;
                }
            }
            if (bestAvg <= maxDist) labels[i] = best;
        }
    }
}
