package org.omx.engine.network;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PAM stage of the hybrid tree cut against dynamicTreeCut::cutreeDynamic(pamStage = TRUE,
 * pamRespectsDendro = TRUE), WGCNA's default, on three fixtures x deepSplit 0..4 x two minimum sizes
 * (make_pam_fixtures.R). R's own tree and dissimilarity are the input, so this isolates the tree cut.
 * Pass: ARI >= 0.99 in every cut and the same number of unassigned objects (measured: ARI 1 in all 30).
 * pamRespectsDendro = FALSE is only approximated (see the second test).
 */
class PamStageTest {

    private record Case(HierarchicalClustering.Tree tree, double[] diss, int n) {
    }

    static Case load(String hclust, String dissGz) throws IOException {
        Fixtures.Table h = Fixtures.read(hclust, false);
        int n = h.values().length + 1;
        int[][] merge = new int[n - 1][2];
        double[] height = new double[n - 1];
        for (int s = 0; s < n - 1; s++) {
            merge[s][0] = (int) h.values()[s][0];
            merge[s][1] = (int) h.values()[s][1];
            height[s] = h.values()[s][2];
        }
        double[] d = new double[n * n];
        if (dissGz == null) {   // 1 - tom_unsigned_6.tsv
            double[][] tom = Fixtures.read("tom_unsigned_6.tsv", true).values();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i * n + j] = 1 - tom[i][j];
        } else {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(Fixtures.DIR.resolve(dissGz)))))) {
                for (int i = 0; i < n; i++) {
                    String[] f = r.readLine().split("\t");
                    for (int j = 0; j < n; j++) d[i * n + j] = Double.parseDouble(f[j]);
                }
            }
        }
        return new Case(new HierarchicalClustering.Tree(merge, height, HierarchicalClustering.order(merge, n)), d, n);
    }

    private static double compare(String name, Case c, Fixtures.Table ref, String column, int mcs, int ds, boolean respect, boolean exactCount, StringBuilder report) {
        int[] want = Arrays.stream(ref.column(ref.column(column))).mapToInt(v -> (int) v).toArray();
        int[] mine = DynamicTreeCut.cut(c.tree(), (i, j) -> c.diss()[i * c.n() + j], new DynamicTreeCut.Options(mcs, ds, Double.NaN, true, respect));
        double ari = AdjustedRandIndex.of(mine, want);
        long greyR = Arrays.stream(want).filter(l -> l == 0).count();
        long greyMine = Arrays.stream(mine).filter(l -> l == 0).count();
        report.append(String.format(Locale.ROOT, "%s %s: R %d modules / %d unassigned, omx %d / %d, ARI %.4f%n", name, column,
                Arrays.stream(want).max().orElse(0), greyR, Arrays.stream(mine).max().orElse(0), greyMine, ari));
        return exactCount && greyR != greyMine ? Math.min(ari, 0.5) : ari;   // a different unassigned count fails the test
    }

    @Test
    void pam_respecting_the_dendrogram_matches_cutreeDynamic() throws IOException {
        StringBuilder report = new StringBuilder();
        double worst = 1;
        Case noisy = load("noisy_hclust.tsv", "noisy_diss.tsv.gz");
        Fixtures.Table noisyRef = Fixtures.read("noisy_cutreeDynamic_pam.tsv", true);
        Case pam = load("pam_hclust.tsv", "pam_diss.tsv.gz");
        Fixtures.Table pamRef = Fixtures.read("pam_cutreeDynamic.tsv", true);
        Case expr = load("hclust_average.tsv", null);
        Fixtures.Table exprRef = Fixtures.read("cutreeDynamic_pam.tsv", true);
        for (int ds = 0; ds <= 4; ds++) {
            for (int mcs : new int[]{15, 20}) worst = Math.min(worst, compare("noisy", noisy, noisyRef, "mcs" + mcs + "_ds" + ds, mcs, ds, true, true, report));
            for (int mcs : new int[]{10, 20}) {
                worst = Math.min(worst, compare("pam", pam, pamRef, "mcs" + mcs + "_ds" + ds, mcs, ds, true, true, report));
                worst = Math.min(worst, compare("expr", expr, exprRef, "mcs" + mcs + "_ds" + ds, mcs, ds, true, true, report));
            }
        }
        System.out.print(report);
        assertTrue(worst >= 0.99, "worst ARI " + worst + "\n" + report);
    }

    @Test
    void pam_over_all_modules_matches_cutreeDynamic_without_pamRespectsDendro() throws IOException {
        StringBuilder report = new StringBuilder();
        double worst = 1;
        Case pam = load("pam_hclust.tsv", "pam_diss.tsv.gz");
        Fixtures.Table pamRef = Fixtures.read("pam_cutreeDynamic.tsv", true);
        for (int ds = 0; ds <= 4; ds++)
            worst = Math.min(worst, compare("pam", pam, pamRef, "mcs10_ds" + ds + "_anybranch", 10, ds, false, false, report));
        System.out.print(report);
        // not WGCNA's default and only approximated: R assigns a few objects beyond maxPamDist here (measured ARI 0.91-0.99)
        assertTrue(worst >= 0.9, "worst ARI " + worst + "\n" + report);
    }
}
