package org.omx.engine.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Clustering, tree cut, eigengenes, kME and merging against R WGCNA / dynamicTreeCut on the fixture. */
class ModuleDetectionTest {

    static Backend backend;
    static FloatMatrix expr;
    static float[] dissimilarity;
    static HierarchicalClustering.Tree tree;

    @BeforeAll
    static void build() {
        backend = Backends.open("cpu", 2, s -> { });
        expr = Fixtures.expression();
        int g = expr.rows();
        float[] a = new float[g * g];
        float[] t = new float[g * g];
        try (Correlation c = Correlation.standardize(backend, expr, Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            TilePlan plan = new TilePlan(g, c.samples(), 0, 64);
            double[] k = TopologicalOverlap.adjacency(backend, c, NetworkType.UNSIGNED, TomType.UNSIGNED, 6, plan, FloatMatrix.wrap(a, g, g), 2, x -> { });
            TopologicalOverlap.tom(backend, FloatMatrix.wrap(a, g, g), k, TomType.UNSIGNED, plan, FloatMatrix.wrap(t, g, g), 2, x -> { });
        }
        dissimilarity = new float[g * g];
        for (int i = 0; i < g * g; i++) dissimilarity[i] = 1 - t[i];
        tree = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(dissimilarity.clone(), g, g));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static int[] column(Fixtures.Table t, String name) {
        return Arrays.stream(t.column(t.column(name))).mapToInt(v -> (int) v).toArray();
    }

    @Test
    void average_linkage_heights_and_merges_match_r_hclust() {
        Fixtures.Table ref = Fixtures.read("hclust_average.tsv", false);
        double max = 0;
        int sameMerges = 0;
        for (int s = 0; s < ref.values().length; s++) {
            max = Math.max(max, Math.abs(tree.height()[s] - ref.values()[s][2]));
            if (tree.merge()[s][0] == (int) ref.values()[s][0] && tree.merge()[s][1] == (int) ref.values()[s][1]) sameMerges++;
        }
        System.out.printf("WGCNA agreement: hclust heights max |diff| %.3g, identical merge rows %d of %d%n", max, sameMerges, ref.values().length);
        assertTrue(max < 1e-5, "heights " + max);
        assertEquals(ref.values().length, sameMerges);
    }

    @Test
    void nn_chain_equals_naive_closest_pair_average_linkage() {
        java.util.Random rnd = new java.util.Random(7);
        int n = 40;
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = rnd.nextFloat();
        HierarchicalClustering.Tree t = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(d.clone(), n, n));
        // textbook: repeatedly merge the closest pair of clusters, distances as averages over original pairs
        java.util.List<java.util.List<Integer>> clusters = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) clusters.add(new java.util.ArrayList<>(java.util.List.of(i)));
        for (int s = 0; s < n - 1; s++) {
            double best = Double.POSITIVE_INFINITY;
            int ba = -1, bb = -1;
            for (int a = 0; a < clusters.size(); a++)
                for (int b = a + 1; b < clusters.size(); b++) {
                    double sum = 0;
                    for (int x : clusters.get(a)) for (int y : clusters.get(b)) sum += d[x * n + y];
                    double avg = sum / (clusters.get(a).size() * clusters.get(b).size());
                    if (avg < best) { best = avg; ba = a; bb = b; }
                }
            assertEquals(best, t.height()[s], 1e-5, "step " + s);
            clusters.get(ba).addAll(clusters.remove(bb));
        }
    }

    @Test
    void dynamic_tree_cut_labels_match_cutreeDynamic() {
        Fixtures.Table ref = Fixtures.read("cutreeDynamic.tsv", true);
        FloatMatrix d = FloatMatrix.wrap(dissimilarity, expr.rows(), expr.rows());
        for (int ds = 0; ds <= 4; ds++) {
            int[] mine = DynamicTreeCut.cut(tree, d::get, new DynamicTreeCut.Options(10, ds, Double.NaN, false));
            double ari = AdjustedRandIndex.of(mine, column(ref, "deepSplit" + ds));
            System.out.printf("WGCNA agreement: cutreeDynamic deepSplit %d (PAM off) ARI %.4f%n", ds, ari);
            assertTrue(ari >= 0.99, "deepSplit " + ds + ": ARI " + ari);
        }
        int[] pam = DynamicTreeCut.cut(tree, d::get, new DynamicTreeCut.Options(10, 2, Double.NaN, true, false));
        double ari = AdjustedRandIndex.of(pam, column(ref, "deepSplit2_pam"));
        System.out.printf("WGCNA agreement: cutreeDynamic deepSplit 2 (PAM on, pamRespectsDendro off, approximated) ARI %.4f%n", ari);
        assertTrue(ari >= 0.9, "PAM without pamRespectsDendro: ARI " + ari);
        int[] truth = column(Fixtures.read("truth.tsv", true), "module");
        System.out.printf("planted modules recovered (deepSplit 2, PAM off): ARI %.4f%n",
                AdjustedRandIndex.of(DynamicTreeCut.cut(tree, d::get, new DynamicTreeCut.Options(10, 2, Double.NaN, false)), truth));
    }

    @Test
    void eigengenes_kme_and_merging_match_wgcna() {
        Fixtures.Table cuts = Fixtures.read("cutreeDynamic.tsv", true);
        int[] labels = column(cuts, "deepSplit2");
        ModuleEigengenes.Result r = ModuleEigengenes.compute(expr, labels);
        Fixtures.Table me = Fixtures.read("eigengenes.tsv", true);
        Fixtures.Table ve = Fixtures.read("var_explained.tsv", false);
        double minCorr = 1, maxVe = 0;
        for (int m = 0; m < r.modules().length; m++) {
            int c = me.column("ME" + r.modules()[m]);
            double corr = ModuleEigengenes.pearson(r.eigengenes()[m], me.column(c));
            minCorr = Math.min(minCorr, corr);
            maxVe = Math.max(maxVe, Math.abs(r.varianceExplained()[m] - ve.values()[0][c]));
        }
        System.out.printf("WGCNA agreement: eigengenes min corr %.8f (sign included), variance explained max |diff| %.3g%n", minCorr, maxVe);
        assertTrue(minCorr >= 0.999, "eigengene correlation " + minCorr);
        assertTrue(maxVe < 1e-5);

        double[][] kme = ModuleEigengenes.kME(expr, r);
        Fixtures.Table kref = Fixtures.read("kME.tsv", true);
        Fixtures.Table pref = Fixtures.read("kME_pvalue.tsv", true);
        double maxK = 0, maxP = 0;
        for (int i = 0; i < expr.rows(); i++)
            for (int m = 0; m < r.modules().length; m++) {
                int c = kref.column("ME" + r.modules()[m]);
                maxK = Math.max(maxK, Math.abs(kme[i][m] - kref.values()[i][c]));
                double p = ModuleEigengenes.corPvalueStudent(kref.values()[i][c], expr.cols());
                double rp = pref.values()[i][c];
                maxP = Math.max(maxP, Math.abs(p - rp) / Math.max(rp, 1e-300));
            }
        System.out.printf("WGCNA agreement: kME max |diff| %.3g, Student p-value max relative diff %.3g%n", maxK, maxP);
        assertTrue(maxK < 1e-5);
        assertTrue(maxP < 1e-8);

        int[] merged = ModuleEigengenes.mergeClose(expr, labels, 0.25);
        int[] mref = column(Fixtures.read("merged_0.25.tsv", true), "merged");
        assertEquals(1.0, AdjustedRandIndex.of(merged, mref), 1e-12);
        // a cut that merges everything assigned into one module
        int[] all = ModuleEigengenes.mergeClose(expr, labels, 2.0);
        assertEquals(1, Arrays.stream(all).max().orElse(0));
    }

    @Test
    void adjusted_rand_index_is_one_up_to_renaming_and_zero_ish_for_random() {
        assertEquals(1.0, AdjustedRandIndex.of(new int[]{1, 1, 2, 2, 0}, new int[]{5, 5, 3, 3, 9}), 1e-12);
        assertTrue(AdjustedRandIndex.of(new int[]{1, 1, 2, 2}, new int[]{1, 2, 1, 2}) < 0.01);
    }
}
