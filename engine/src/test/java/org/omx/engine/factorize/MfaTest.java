package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MfaTest {

    @TempDir
    Path dir;

    /** Sample IDs s0..s(n-1) with some dropped and the order shuffled per layer. */
    private static List<String> ids(int n, int drop, long seed) {
        List<String> s = new ArrayList<>();
        for (int j = 0; j < n; j++) if (j % 7 != drop) s.add("s" + j);
        java.util.Collections.shuffle(s, new java.util.Random(seed));
        return s;
    }

    /** Plain double MFA: intersect, center (scale), weight by 1/sigma1^2 (exact SVD), stack, exact SVD. */
    private static Object[] reference(List<double[][]> data, List<List<String>> samples, boolean scale) {
        List<String> common = new ArrayList<>(samples.getFirst());
        for (List<String> s : samples) common.retainAll(s);
        int n = common.size();
        List<double[]> rows = new ArrayList<>();
        int[] offsets = new int[data.size() + 1];
        double[] tss = new double[data.size()];
        for (int l = 0; l < data.size(); l++) {
            double[][] a = data.get(l);
            double[][] sub = new double[a.length][n];
            for (int j = 0; j < n; j++) {
                int col = samples.get(l).indexOf(common.get(j));
                for (int i = 0; i < a.length; i++) sub[i][j] = a[i][col];
            }
            double[][] c = FactorizeFixtures.centered(sub, scale);
            double s1 = new ExactSvd(c).s[0];
            for (double[] r : c) {
                double[] w = new double[n];
                for (int j = 0; j < n; j++) {
                    w[j] = r[j] / s1;
                    tss[l] += w[j] * w[j];
                }
                rows.add(w);
            }
            offsets[l + 1] = rows.size();
        }
        ExactSvd svd = new ExactSvd(rows.toArray(new double[0][]));
        return new Object[]{svd, offsets, tss, common};
    }

    @Test
    void matches_a_plain_double_mfa_on_three_layers_with_partly_shared_samples() throws Exception {
        for (boolean scale : new boolean[]{false, true}) {
            int n = 40;
            List<double[][]> data = List.of(FactorizeFixtures.lowRank(30, n, 4, 0.7, 0.3, 1),
                    FactorizeFixtures.lowRank(12, n, 3, 0.6, 0.5, 2), FactorizeFixtures.lowRank(50, n, 5, 0.8, 0.2, 3));
            // scale the layers differently so the weighting matters
            for (double[] r : data.get(1)) for (int j = 0; j < n; j++) r[j] = (float) (r[j] * 30);
            List<List<String>> samples = List.of(ids(n, 1, 5), ids(n, 3, 6), ids(n, 8, 7));
            List<Mfa.Layer> layers = new ArrayList<>();
            List<MatrixStore> open = new ArrayList<>();
            try {
                for (int l = 0; l < 3; l++) {
                    MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "L" + l + scale, data.get(l), samples.get(l)));
                    open.add(s);
                    layers.add(new Mfa.Layer("L" + l, s));
                }
                int k = 5;
                Mfa.Result r = Mfa.fit(layers, new Mfa.Options(k, scale, 10, 4, 7), FactorizeFixtures.context());
                Object[] ref = reference(data, samples, scale);
                ExactSvd e = (ExactSvd) ref[0];
                int[] off = (int[]) ref[1];
                double[] tss = (double[]) ref[2];
                assertEquals(ref[3], r.sampleIds());
                assertArrayEquals(off, r.layerOffsets());
                for (int j = 0; j < k; j++) {
                    assertEquals(e.s[j], r.global().sigma()[j], 1e-4 * e.s[j], "sigma " + j + " scale " + scale);
                    double c = Math.abs(FactorizeFixtures.correlation(e.v[j], r.global().v()[j]));
                    assertTrue(c > 0.9999, "factor " + j + " scores corr " + c);
                    for (int l = 0; l < 3; l++) {
                        double s = 0;
                        for (int i = off[l]; i < off[l + 1]; i++) s += e.u[j][i] * e.u[j][i];
                        double expected = e.s[j] * e.s[j] * s / tss[l];
                        assertEquals(expected, r.varianceExplained()[j][l], 1e-4, "R2 factor " + j + " layer " + l);
                    }
                }
                // the weighted layers each have sigma1 = 1: the first factor cannot exceed the number of layers
                assertTrue(r.global().sigma()[0] <= Math.sqrt(3) + 1e-6);
            } finally {
                for (MatrixStore s : open) s.close();
            }
        }
    }

    @Test
    void the_plan_comes_before_the_first_pass_and_counts_the_passes_made() throws Exception {
        int n = 60;
        List<Mfa.Layer> layers = new ArrayList<>();
        List<MatrixStore> open = new ArrayList<>();
        try {
            for (int l = 0; l < 3; l++) {
                double[][] a = FactorizeFixtures.lowRank(20 + 15 * l, n, 3, 0.7, 0.3, 10 + l);
                MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "P" + l, a));
                open.add(s);
                layers.add(new Mfa.Layer("P" + l, s));
            }
            List<String> log = new ArrayList<>();
            Mfa.fit(layers, new Mfa.Options(4, false, 6, 3, 1), FactorizeFixtures.context(64L << 20, log));
            assertTrue(log.getFirst().startsWith("MFA plan: 3 layers, 105 features x 60 samples, 4 factors"), log.getFirst());
            assertTrue(log.getFirst().contains("process: peak RSS between"), log.getFirst());
            // passes made: "randomized SVD: N passes" once per layer, then once for the global PCA
            List<Integer> made = log.stream().filter(x -> x.startsWith("randomized SVD: ") && x.endsWith(" passes over the data"))
                    .map(x -> Integer.parseInt(x.replaceAll("\\D", ""))).toList();
            assertEquals(4, made.size(), String.join("\n", log));
            // the smallest layer (20 features) cannot hold the Krylov basis: subspace iteration, more passes
            assertTrue(made.get(0) > made.get(1), made.toString());
            String perLayer = made.get(0) + "/" + made.get(1) + "/" + made.get(2);
            assertTrue(log.getFirst().contains("passes: " + perLayer + " over each layer alone"), log.getFirst());
            assertTrue(log.getFirst().contains(made.getLast() + " over all layers"), log.getFirst());
            double full = (20.0 * made.get(0) + 35.0 * made.get(1) + 50.0 * made.get(2)) / 105 + made.getLast() + 1;
            assertTrue(log.getFirst().contains(String.format(java.util.Locale.ROOT, "(%.1f full passes' worth of rows)", full)), log.getFirst());
        } finally {
            for (MatrixStore s : open) s.close();
        }
    }

    @Test
    void the_variance_pass_reads_tiles_that_fit_the_memory_budget() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(3000, 400, 3, 0.7, 0.3, 3);
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "V", a))) {
            StoreRows rows = new StoreRows(s);
            Mfa.StackedRows stacked = new Mfa.StackedRows(List.of(rows), new double[1][], List.of("V"));
            Mfa.Options o = new Mfa.Options(3, false, 5, 2, 1);
            for (long budget : new long[]{2L << 20, 64L << 20}) {
                int t = Mfa.varianceTileRows(stacked, o, FactorizeFixtures.context(budget, new ArrayList<>()));
                assertTrue(t >= 1 && t <= 512, "tile " + t);
                // the tile's copy (4 bytes x samples per row) fits the budget, or is the smallest tile there is
                assertTrue(t == 64 || 4L * t * 400 <= budget, "tile " + t + " budget " + budget);
            }
            assertEquals(64, Mfa.varianceTileRows(stacked, o, FactorizeFixtures.context(64L << 10, new ArrayList<>())), "the smallest tile");
            assertTrue(Mfa.varianceTileRows(stacked, o, FactorizeFixtures.context(2L << 20, new ArrayList<>())) < 4096, "not a fixed 4,096");
        }
    }

    @Test
    void a_layer_without_common_samples_is_named() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(5, 6, 2, 0.5, 0.1, 1);
        try (MatrixStore s1 = MatrixStore.open(FactorizeFixtures.store(dir, "x", a, List.of("a", "b", "c", "d", "e", "f")));
             MatrixStore s2 = MatrixStore.open(FactorizeFixtures.store(dir, "y", a, List.of("g", "h", "i", "j", "k", "l")))) {
            var ex = assertThrows(FactorizeInputException.class, () -> Mfa.fit(List.of(new Mfa.Layer("rna", s1), new Mfa.Layer("protein", s2)),
                    new Mfa.Options(2, false, 5, 2, 1), FactorizeFixtures.context()));
            assertTrue(ex.getMessage().contains("layer protein has no samples in common with layer rna"), ex.getMessage());
        }
    }
}
