package org.omx.engine.network;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic tree cut against dynamicTreeCut::cutreeDynamic (hybrid, PAM off) on a nested, noisy tree
 * where deepSplit 0..4 give different cuts (noisy_* fixtures, see the README). The tree and the
 * 1 - TOM dissimilarity are R's own, so this isolates the tree cut from TOM and clustering.
 */
class TreeCutFidelityTest {

    static HierarchicalClustering.Tree tree;
    static double[] diss;
    static int n;
    static Fixtures.Table cuts;

    @BeforeAll
    static void load() throws IOException {
        Fixtures.Table h = Fixtures.read("noisy_hclust.tsv", false);
        n = h.values().length + 1;
        int[][] merge = new int[n - 1][2];
        double[] height = new double[n - 1];
        for (int s = 0; s < n - 1; s++) {
            merge[s][0] = (int) h.values()[s][0];
            merge[s][1] = (int) h.values()[s][1];
            height[s] = h.values()[s][2];
        }
        tree = new HierarchicalClustering.Tree(merge, height, HierarchicalClustering.order(merge, n));
        diss = new double[n * n];
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Fixtures.DIR.resolve("noisy_diss.tsv.gz")))))) {
            for (int i = 0; i < n; i++) {
                String[] f = r.readLine().split("\t");
                for (int j = 0; j < n; j++) diss[i * n + j] = Double.parseDouble(f[j]);
            }
        }
        cuts = Fixtures.read("noisy_cutreeDynamic.tsv", true);
    }

    private static int[] pamColumn(String name) {
        Fixtures.Table t = Fixtures.read("noisy_cutreeDynamic_pam.tsv", true);
        return Arrays.stream(t.column(t.column(name))).mapToInt(v -> (int) v).toArray();
    }

    private static int[] column(String name) {
        return Arrays.stream(cuts.column(cuts.column(name))).mapToInt(v -> (int) v).toArray();
    }

    @Test
    void each_deep_split_matches_cutreeDynamic_with_ari_099() {
        double worst = 1;
        StringBuilder report = new StringBuilder();
        for (int mcs : new int[]{15, 20})
            for (int ds = 0; ds <= 4; ds++) {
                int[] mine = DynamicTreeCut.cut(tree, (i, j) -> diss[i * n + j], new DynamicTreeCut.Options(mcs, ds, Double.NaN, false));
                int[] ref = column("mcs" + mcs + "_ds" + ds);
                double ari = AdjustedRandIndex.of(mine, ref);
                worst = Math.min(worst, ari);
                String line = String.format(java.util.Locale.ROOT,
                        "noisy tree, minClusterSize %d, deepSplit %d: R %d modules / %d grey, omx %d modules / %d grey, ARI %.4f%n",
                        mcs, ds, Arrays.stream(ref).max().orElse(0), Arrays.stream(ref).filter(l -> l == 0).count(),
                        Arrays.stream(mine).max().orElse(0), Arrays.stream(mine).filter(l -> l == 0).count(), ari);
                report.append(line);
            }
        System.out.print(report);
        assertTrue(worst >= 0.99, "worst ARI " + worst + "\n" + report);
    }

    /** The whole omx path on noisy_expr.tsv: float32 correlation, adjacency, TOM, NN-chain clustering, tree cut. */
    @Test
    void end_to_end_from_expression_matches_cutreeDynamic() {
        Fixtures.Table t = Fixtures.read("noisy_expr.tsv", true);
        int g = t.rows().size();
        int s = t.columns().size();
        float[] data = new float[g * s];
        for (int i = 0; i < g; i++) for (int j = 0; j < s; j++) data[i * s + j] = (float) t.values()[i][j];
        float[] a = new float[g * g];
        float[] tom = new float[g * g];
        try (org.omx.kernels.api.Backend backend = org.omx.kernels.api.Backends.open("cpu", 2, m -> { });
             Correlation c = Correlation.standardize(backend, org.omx.kernels.api.FloatMatrix.wrap(data, g, s), t.rows(),
                     CorrelationMethod.PEARSON, 1, 2)) {
            TilePlan plan = new TilePlan(g, s, 0, 128);
            double[] k = TopologicalOverlap.adjacency(backend, c, NetworkType.UNSIGNED, TomType.UNSIGNED, 6, plan,
                    org.omx.kernels.api.FloatMatrix.wrap(a, g, g), 2, x -> { });
            TopologicalOverlap.tom(backend, org.omx.kernels.api.FloatMatrix.wrap(a, g, g), k, TomType.UNSIGNED, plan,
                    org.omx.kernels.api.FloatMatrix.wrap(tom, g, g), 2, x -> { });
        }
        float[] d = new float[g * g];
        for (int i = 0; i < g * g; i++) d[i] = 1 - tom[i];
        HierarchicalClustering.Tree mineTree = HierarchicalClustering.averageLinkage(org.omx.kernels.api.FloatMatrix.wrap(d.clone(), g, g));
        double worst = 1;
        for (int mcs : new int[]{15, 20})
            for (int ds = 0; ds <= 4; ds++) {
                int[] mine = DynamicTreeCut.cut(mineTree, (i, j) -> d[i * g + j], new DynamicTreeCut.Options(mcs, ds, Double.NaN, false));
                double ari = AdjustedRandIndex.of(mine, column("mcs" + mcs + "_ds" + ds));
                worst = Math.min(worst, ari);
                System.out.printf(java.util.Locale.ROOT, "noisy expression end to end (omx TOM and tree), minClusterSize %d, deepSplit %d: ARI %.4f%n", mcs, ds, ari);
                // PAM stage on (pamRespectsDendro): against cutreeDynamic on R's tree (noisy_cutreeDynamic_pam.tsv)
                int[] pam = DynamicTreeCut.cut(mineTree, (i, j) -> d[i * g + j], new DynamicTreeCut.Options(mcs, ds, Double.NaN, true));
                double ariPam = AdjustedRandIndex.of(pam, pamColumn("mcs" + mcs + "_ds" + ds));
                worst = Math.min(worst, ariPam);
                System.out.printf(java.util.Locale.ROOT, "noisy expression end to end, PAM on, minClusterSize %d, deepSplit %d: ARI %.4f%n", mcs, ds, ariPam);
            }
        assertTrue(worst >= 0.99, "worst ARI " + worst);
    }
}
