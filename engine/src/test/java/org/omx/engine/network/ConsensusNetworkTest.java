package org.omx.engine.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The consensus network against WGCNA (make_consensus_fixtures.R): the calibrated consensus TOM
 * ({@code consensusTOM(..., networkCalibration = "single quantile", calibrationQuantile = 0.95,
 * sampleForCalibration = FALSE, consensusQuantile = 0)}) within 1e-4, the tree cut of 1 - consensus TOM
 * (deepSplit 0..4, PAM off and on) and the consensus merge (mergeCloseModules on the two sets, cutHeight 0.9) with
 * ARI >= 0.99, and each set's eigengenes (multiSetMEs) correlated >= 0.999. The two stores list their
 * features in different orders and the first holds 6 features the second lacks.
 */
class ConsensusNetworkTest {

    static Backend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = Backends.open("cpu", 2, s -> { });
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static Path store(Path dir, String name, String fixture) throws IOException {
        return store(dir, name, Fixtures.read(fixture, true));
    }

    static Path store(Path dir, String name, Fixtures.Table t) throws IOException {
        Path p = dir.resolve(name + ".omx");
        try (StoreWriter w = StoreWriter.create(p, t.columns(), StoreDescription.of(name, "transcriptome", "log"), false)) {
            float[] row = new float[t.columns().size()];
            for (int i = 0; i < t.rows().size(); i++) {
                for (int j = 0; j < row.length; j++) row[j] = (float) t.values()[i][j];
                w.appendRow(t.rows().get(i), row, 0);
            }
            w.commit();
        }
        return p;
    }

    private static NetworkAnalysis.Parameters params(int deepSplit, boolean pam, double merge, boolean saveTom) {
        return new NetworkAnalysis.Parameters(CorrelationMethod.PEARSON, 1, NetworkType.UNSIGNED, TomType.UNSIGNED, 6,
                SoftThreshold.DEFAULT_R_SQUARED_CUT, SoftThreshold.DEFAULT_POWERS, 12, deepSplit, pam, merge, saveTom);
    }

    private ConsensusNetwork.Result run(List<MatrixStore> sets, Path out, NetworkAnalysis.Parameters p, List<String> log) throws IOException {
        return ConsensusNetwork.run(backend, sets, out, p, ConsensusNetwork.DEFAULT_CALIBRATION_QUANTILE, 2, 400_000, log::add,
                (task, total) -> done -> { });
    }

    private static int[] column(Fixtures.Table t, String name) {
        return Arrays.stream(t.column(t.column(name))).mapToInt(v -> (int) v).toArray();
    }

    @Test
    void consensus_tom_labels_and_eigengenes_match_wgcna() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s2 = store(dir, "set2", "consensus_set2.tsv");
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s2)) {
            List<MatrixStore> sets = List.of(a, b);
            List<String> log = new ArrayList<>();
            Path out = dir.resolve("cons");
            ConsensusNetwork.Result r = run(sets, out, params(2, false, 0, true), log);
            assertTrue(log.stream().anyMatch(l -> l.contains("130 features shared by all 2 sets") && l.contains("136 features, 6 not shared")), log.toString());
            Fixtures.Table ref = Fixtures.read("consensus_tom.tsv", true);
            assertEquals(ref.rows(), r.alignment().features(), "shared features in the first set's order");
            double max = 0;
            try (MatrixStore tom = MatrixStore.open(out.resolve("tom.omx"))) {
                for (int i = 0; i < 130; i++) for (int j = 0; j < 130; j++) max = Math.max(max, Math.abs(tom.get(i, j) - ref.values()[i][j]));
            }
            System.out.printf(Locale.ROOT, "WGCNA agreement: consensus TOM max |diff| %.3g (quantiles %.6g %.6g, set 2 calibration power %.6g)%n",
                    max, r.quantiles()[0], r.quantiles()[1], r.scalePowers()[1]);
            assertTrue(max < 1e-4, "consensus TOM max diff " + max);
            // R: quantile(as.dist(TOM), 0.95, type = 8) of each set = 0.05072238, 0.04935894; power 0.9909433
            assertEquals(0.05072238, r.quantiles()[0], 2e-6);
            assertEquals(0.04935894, r.quantiles()[1], 2e-6);
            assertEquals(0.9909433, r.scalePowers()[1], 1e-4);

            Fixtures.Table cuts = Fixtures.read("consensus_cuts.tsv", true);
            float[] cons = new float[130 * 130];
            try (MatrixStore tom = MatrixStore.open(out.resolve("tom.omx"))) {
                for (int i = 0; i < 130; i++) tom.copyRow(i, cons, i * 130);
            }
            double worst = 1;
            for (int ds = 0; ds <= 4; ds++)
                for (boolean pam : new boolean[]{false, true}) {
                    // the run's own tree and consensus TOM, cut at every deepSplit
                    int[] mine = DynamicTreeCut.cut(r.tree(), (i, j) -> 1 - cons[i * 130 + j], new DynamicTreeCut.Options(12, ds, Double.NaN, pam));
                    double ari = AdjustedRandIndex.of(mine, column(cuts, "ds" + ds + (pam ? "_pam" : "")));
                    System.out.printf(Locale.ROOT, "WGCNA agreement: consensus modules deepSplit %d PAM %s ARI %.4f%n", ds, pam ? "on" : "off", ari);
                    worst = Math.min(worst, ari);
                }
            assertTrue(worst >= 0.99, "worst ARI " + worst);

            // consensus merging inside the pipeline: deepSplit 4 modules, cut height 0.9 (R merges 3 modules into 2)
            ConsensusNetwork.Result merged = run(sets, dir.resolve("m"), params(4, false, 0.9, false), new ArrayList<>());
            double ari = AdjustedRandIndex.of(merged.labels(), column(cuts, "ds4_merged_0.9"));
            System.out.printf(Locale.ROOT, "WGCNA agreement: consensus merge (deepSplit 4, cutHeight 0.9) ARI %.4f, %d modules%n", ari,
                    Arrays.stream(merged.labels()).max().orElse(0));
            assertTrue(ari >= 0.99, "merged ARI " + ari);
            assertEquals(2, Arrays.stream(merged.labels()).max().orElse(0));
            assertEquals(3, Arrays.stream(merged.unmergedLabels()).max().orElse(0));

            // eigengenes per set: modules matched through the labels (both 1 = largest)
            int[] rLabels = column(cuts, "ds2");
            Map<Integer, Integer> mineToR = new HashMap<>();
            for (int i = 0; i < rLabels.length; i++) if (r.labels()[i] != 0) mineToR.put(r.labels()[i], rLabels[i]);
            for (int s = 0; s < 2; s++) {
                Fixtures.Table me = Fixtures.read("consensus_eigengenes_set" + (s + 1) + ".tsv", true);
                ModuleEigengenes.Result mine = r.eigengenes().get(s);
                assertEquals(r.samples().get(s), me.rows());
                double worstCor = 1;
                for (int m = 0; m < mine.modules().length; m++) {
                    int label = mine.modules()[m];
                    if (label == 0) continue;
                    double[] want = me.column(me.column("ME" + mineToR.get(label)));
                    worstCor = Math.min(worstCor, ModuleEigengenes.pearson(mine.eigengenes()[m], want));
                }
                System.out.printf(Locale.ROOT, "WGCNA agreement: set %d eigengenes (multiSetMEs) worst correlation %.6f%n", s + 1, worstCor);
                assertTrue(worstCor >= 0.999, "set " + (s + 1) + " eigengene correlation " + worstCor);
            }

            ConsensusOutputs.write(r, params(2, false, 0, true), 0.95, out);
            for (String f : List.of("modules.tsv", "sets.tsv", "eigengenes-set1.tsv", "eigengenes-set2.tsv", "kME-set1.tsv", "kME-set2.tsv",
                    "dendrogram.tsv", "params.json"))
                assertTrue(Files.exists(out.resolve(f)), f);
            assertEquals(46, Files.readAllLines(out.resolve("eigengenes-set1.tsv")).size());
            assertEquals(39, Files.readAllLines(out.resolve("eigengenes-set2.tsv")).size());
        }
    }

    @Test
    void automatic_power_is_the_largest_per_set_choice_from_wgcna_tables_on_the_shared_features() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s2 = store(dir, "set2", "consensus_set2.tsv");
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s2)) {
            NetworkAnalysis.Parameters p = params(2, false, 0, false);
            p = new NetworkAnalysis.Parameters(p.correlation(), 1, p.networkType(), p.tomType(), Double.NaN, 0.85, SoftThreshold.DEFAULT_POWERS,
                    12, 2, false, 0, false);
            ConsensusNetwork.Result r = run(List.of(a, b), dir.resolve("auto"), p, new ArrayList<>());
            double max = 0;
            for (int s = 0; s < 2; s++) {
                Fixtures.Table ref = Fixtures.read("consensus_sft_set" + (s + 1) + ".tsv", false);   // pickSoftThreshold per set
                for (int q = 0; q < ref.values().length; q++) {
                    double[] want = ref.values()[q];
                    SoftThreshold.Fit f = r.tables().get(s).fits().get(q);
                    assertEquals(want[0], f.power());
                    double[] mine = {f.rSquared(), f.slope(), f.truncatedRSquared(), f.meanK(), f.medianK(), f.maxK()};
                    for (int c = 0; c < 6; c++) max = Math.max(max, Math.abs(mine[c] - want[c + 1]));
                }
            }
            System.out.printf(Locale.ROOT, "WGCNA agreement: consensus per-set soft-threshold tables max |diff| %.3g%n", max);
            assertTrue(max < 1e-4, "tables " + max);
            // R powerEstimate: set 1 6, set 2 5; the consensus takes the largest
            assertEquals(6, r.tables().get(0).powerEstimate());
            assertEquals(5, r.tables().get(1).powerEstimate());
            assertEquals(6, r.power());
            assertTrue(r.powerRule().contains("set 1 6, set 2 5"), r.powerRule());
        }
    }

    @Test
    void module_trait_correlations_per_set_from_one_traits_file() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s2 = store(dir, "set2", "consensus_set2.tsv");
        // trait = gene A01's values in each set (module A's eigengene should follow it), rows of both sets in one file
        StringBuilder tsv = new StringBuilder("sample_id\tx\tgroup\n");
        Map<String, Double> x = new HashMap<>();
        for (String f : List.of("consensus_set1.tsv", "consensus_set2.tsv")) {
            Fixtures.Table t = Fixtures.read(f, true);
            int a01 = t.rows().indexOf("A01");
            for (int j = 0; j < t.columns().size(); j++) {
                x.put(t.columns().get(j), t.values()[a01][j]);
                tsv.append(t.columns().get(j)).append('\t').append(t.values()[a01][j]).append("\tg").append(j % 2).append('\n');
            }
        }
        Path traits = dir.resolve("traits.tsv");
        Files.writeString(traits, tsv);
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s2)) {
            List<String> log = new ArrayList<>();
            ConsensusNetwork.Result r = ConsensusNetwork.run(backend, List.of(a, b), dir.resolve("t"), params(2, false, 0, false), 0.95, traits, null,
                    2, 400_000, log::add, (task, total) -> done -> { });
            assertTrue(log.stream().anyMatch(l -> l.contains("skipped non-numeric column(s) group")), log.toString());
            int moduleOfA01 = r.labels()[r.alignment().features().indexOf("A01")];
            for (int s = 0; s < 2; s++) {
                ModuleOutputs.ModuleTrait mt = r.moduleTraits().get(s);
                ModuleEigengenes.Result me = r.eigengenes().get(s);
                int m = Arrays.stream(me.modules()).boxed().toList().indexOf(moduleOfA01);
                double[] trait = r.samples().get(s).stream().mapToDouble(x::get).toArray();
                double want = ModuleEigengenes.pearson(me.eigengenes()[m], trait);
                assertEquals(want, mt.cor()[m][0], 1e-9, "set " + (s + 1));
                assertTrue(want > 0.5, "module A follows its own gene: " + want);
                assertEquals(r.samples().get(s).size(), mt.n()[m][0]);
            }
        }
    }

    @Test
    void consensus_edge_list_equals_a_plain_loop_over_the_consensus_tom_and_each_sets_correlation() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s2 = store(dir, "set2", "consensus_set2.tsv");
        Path out = dir.resolve("edges");
        EdgeList.Rule rule = new EdgeList.Rule(0.3, Double.NaN, 3);
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s2)) {
            List<String> log = new ArrayList<>();
            ConsensusNetwork.Result r = ConsensusNetwork.run(backend, List.of(a, b), out, params(2, false, 0, true), 0.95, null, rule,
                    2, 400_000, log::add, (task, total) -> done -> { });
            assertTrue(log.stream().anyMatch(l -> l.startsWith("edges.tsv.gz: ")), log.toString());
            List<String> ids = r.alignment().features();
            int g = ids.size();
            double[][] tom = new double[g][g];
            try (MatrixStore t = MatrixStore.open(out.resolve("tom.omx"))) {
                float[] row = new float[g];
                for (int i = 0; i < g; i++) {
                    t.copyRow(i, row, 0);
                    for (int j = 0; j < g; j++) tom[i][j] = row[j];
                }
            }
            // plain references: each set's Pearson correlation in double over its own samples, k-th largest TOM by sorting
            List<double[][]> cors = new ArrayList<>();
            for (String f : List.of("consensus_set1.tsv", "consensus_set2.tsv")) {
                Fixtures.Table t = Fixtures.read(f, true);
                double[][] x = new double[g][];
                for (int i = 0; i < g; i++) x[i] = t.values()[t.rows().indexOf(ids.get(i))];
                double[][] c = new double[g][g];
                for (int i = 0; i < g; i++)
                    for (int j = 0; j < g; j++) c[i][j] = ModuleEigengenes.pearson(x[i], x[j]);
                cors.add(c);
            }
            double[] kth = new double[g];
            for (int i = 0; i < g; i++) {
                double[] row = new double[g - 1];
                for (int j = 0, q = 0; j < g; j++) if (j != i) row[q++] = tom[i][j];
                Arrays.sort(row);
                kth[i] = row[g - 1 - rule.topK()];
            }
            Map<String, String[]> got = new HashMap<>();
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(out.resolve("edges.tsv.gz")))) {
                List<String> lines = new String(in.readAllBytes()).lines().toList();
                assertEquals("feature_a\tfeature_b\tcor_set1\tcor_set2\ttom", lines.getFirst());
                for (String l : lines.subList(1, lines.size())) {
                    String[] f = l.split("\t");
                    got.put(f[0] + "-" + f[1], f);
                }
            }
            int expected = 0;
            double maxCor = 0;
            for (int i = 0; i < g; i++)
                for (int j = i + 1; j < g; j++) {
                    double minAbs = Math.min(Math.abs(cors.get(0)[i][j]), Math.abs(cors.get(1)[i][j]));
                    boolean keep = minAbs >= rule.minAbsCor() && (tom[i][j] >= kth[i] || tom[i][j] >= kth[j]);
                    String[] e = got.get(ids.get(i) + "-" + ids.get(j));
                    if (Math.abs(minAbs - rule.minAbsCor()) > 1e-5) assertEquals(keep, e != null, ids.get(i) + "-" + ids.get(j));
                    if (keep) expected++;
                    if (e != null) {
                        for (int s = 0; s < 2; s++) maxCor = Math.max(maxCor, Math.abs(Double.parseDouble(e[2 + s]) - cors.get(s)[i][j]));
                        assertEquals((float) tom[i][j], Float.parseFloat(e[4]), "TOM column is the consensus TOM");
                    }
                }
            System.out.printf(Locale.ROOT, "consensus edge list: %d edges, plain loop %d, max |cor - double reference| %.3g%n",
                    got.size(), expected, maxCor);
            assertTrue(expected > 10, "the rule keeps some edges: " + expected);
            assertTrue(maxCor < 1e-5, "cor within 1e-5 of double: " + maxCor);
        }
    }

    /** Set 3 of make_consensus_quantile_fixtures.R: set 1's first 30 samples. */
    private static Fixtures.Table firstSamples(Fixtures.Table t, int n) {
        double[][] v = new double[t.rows().size()][];
        for (int i = 0; i < v.length; i++) v[i] = Arrays.copyOf(t.values()[i], n);
        return new Fixtures.Table(t.columns().subList(0, n), t.rows(), v);
    }

    @Test
    void consensus_quantile_tom_matches_wgcna_for_three_sets() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s2 = store(dir, "set2", "consensus_set2.tsv");
        Path s3 = store(dir, "set3", firstSamples(Fixtures.read("consensus_set1.tsv", true), 30));
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s2); MatrixStore c = MatrixStore.open(s3)) {
            List<String> log = new ArrayList<>();
            Path out = dir.resolve("q");
            ConsensusNetwork.Result r = ConsensusNetwork.run(backend, List.of(a, b, c), out, params(2, false, 0, true), 0.95, 0.3, null, null,
                    2, 400_000, log::add, (task, total) -> done -> { });
            assertTrue(log.stream().anyMatch(l -> l.contains("element-wise 0.3 quantile")), log.toString());
            Fixtures.Table ref = Fixtures.read("consensus_tom_q0.3.tsv", true);
            assertEquals(ref.rows(), r.alignment().features());
            double max = 0;
            try (MatrixStore tom = MatrixStore.open(out.resolve("tom.omx"))) {
                for (int i = 0; i < 130; i++) for (int j = 0; j < 130; j++) if (i != j) max = Math.max(max, Math.abs(tom.get(i, j) - ref.values()[i][j]));
            }
            System.out.printf(Locale.ROOT, "WGCNA agreement: consensusQuantile 0.3 TOM of 3 sets max |diff| %.3g%n", max);
            assertTrue(max < 1e-4, "consensus quantile TOM max diff " + max);
            assertFalse(Files.exists(out.resolve("set-tom-2.omx")) || Files.exists(out.resolve("set-tom-3.omx")), "set TOM scratch removed");
        }
    }

    @Test
    void consensus_quantile_merging_matches_wgcna_merge_close_modules() throws Exception {
        Fixtures.Table want = Fixtures.read("consensus_merge_quantile.tsv", true);
        List<String> ids = want.rows();
        List<Fixtures.Table> sets = List.of(Fixtures.read("consensus_set1.tsv", true), Fixtures.read("consensus_set2.tsv", true),
                firstSamples(Fixtures.read("consensus_set1.tsv", true), 30));
        List<org.omx.kernels.api.FloatMatrix> x = new ArrayList<>();
        for (Fixtures.Table t : sets) {
            int n = t.columns().size();
            float[] m = new float[ids.size() * n];
            for (int i = 0; i < ids.size(); i++) {
                double[] row = t.values()[t.rows().indexOf(ids.get(i))];
                for (int j = 0; j < n; j++) m[i * n + j] = (float) row[j];
            }
            x.add(org.omx.kernels.api.FloatMatrix.wrap(m, ids.size(), n));
        }
        int[] ds4 = column(want, "ds4");
        int distinct = 0;
        for (double h : new double[] {0.84, 0.88})
            for (double q : new double[] {0, 0.3, 0.5}) {
                int[] expected = column(want, "merged_" + h + "_q" + (q == 0 ? "0" : Double.toString(q)));
                int[] got = ModuleEigengenes.mergeClose(x, ds4, h, q);
                double ari = AdjustedRandIndex.of(got, expected);
                System.out.printf(Locale.ROOT, "WGCNA agreement: consensus merge cutHeight %.2f consensusQuantile %.1f: %d modules, ARI %.4f%n",
                        h, q, Arrays.stream(got).max().orElse(0), ari);
                assertEquals(1.0, ari, 1e-12, "merge at " + h + " q " + q);
                if (Arrays.stream(expected).max().orElse(0) != 3) distinct++;
            }
        assertTrue(distinct >= 2, "the fixture has merges that depend on the quantile");
    }

    @Test
    void type8_quantile_of_the_upper_triangle_matches_a_sort() {
        java.util.Random rnd = new java.util.Random(5);
        int g = 37;
        float[] m = new float[g * g];
        List<Float> upper = new ArrayList<>();
        for (int i = 0; i < g; i++)
            for (int j = i; j < g; j++) {
                float v = i == j ? 1f : (rnd.nextInt(10) == 0 ? 0f : (float) Math.pow(rnd.nextDouble(), 3));
                m[i * g + j] = v;
                m[j * g + i] = v;
                if (i != j) upper.add(v);
            }
        double[] sorted = upper.stream().mapToDouble(Float::doubleValue).sorted().toArray();
        int n = sorted.length;
        for (double p : new double[]{0, 0.05, 0.5, 0.95, 0.999, 1}) {
            double h = (n + 1.0 / 3) * p + 1.0 / 3;
            int lo = (int) Math.floor(h);
            double want = h < 1 ? sorted[0] : h >= n ? sorted[n - 1] : sorted[lo - 1] + (h - lo) * (sorted[lo] - sorted[lo - 1]);
            assertEquals(want, TomQuantile.upperTriangle(org.omx.kernels.api.FloatMatrix.wrap(m, g, g), p, 2), 1e-12, "p " + p);
        }
    }

    @Test
    void bad_sets_are_refused_naming_the_set_and_feature() throws Exception {
        Path s1 = store(dir, "set1", "consensus_set1.tsv");
        Path s3 = store(dir, "layer2", "layer2.tsv");
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(s3)) {
            NetworkInputException e = assertThrows(NetworkInputException.class,
                    () -> run(List.of(a, b), dir.resolve("x"), params(2, false, 0, false), new ArrayList<>()));
            assertTrue(e.getMessage().contains("share 0 feature IDs") && e.getMessage().contains("layer2.omx"), e.getMessage());
            e = assertThrows(NetworkInputException.class, () -> run(List.of(a), dir.resolve("y"), params(2, false, 0, false), new ArrayList<>()));
            assertTrue(e.getMessage().contains("at least 2 sets"), e.getMessage());
        }
        Fixtures.Table t2 = Fixtures.read("consensus_set2.tsv", true);
        int row = t2.rows().indexOf("B07");
        Arrays.fill(t2.values()[row], 4.0);
        Path flat = store(dir, "flat", t2);
        try (MatrixStore a = MatrixStore.open(s1); MatrixStore b = MatrixStore.open(flat)) {
            NetworkInputException e = assertThrows(NetworkInputException.class,
                    () -> run(List.of(a, b), dir.resolve("z"), params(2, false, 0, false), new ArrayList<>()));
            assertTrue(e.getMessage().startsWith("set 2 (") && e.getMessage().contains("flat.omx") && e.getMessage().contains("B07"), e.getMessage());
        }
    }
}
