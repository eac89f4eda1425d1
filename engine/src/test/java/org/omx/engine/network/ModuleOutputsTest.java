package org.omx.engine.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Intramodular connectivity, hubs, module-trait correlations and edge lists against WGCNA fixtures and plain loops. */
class ModuleOutputsTest {

    static Backend backend;
    static FloatMatrix expr;
    static float[] adj;
    static double[] k;
    static float[] tom;
    static int g;
    static int[] labels;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        backend = Backends.open("cpu", 2, s -> { });
        expr = Fixtures.expression();
        g = expr.rows();
        adj = new float[g * g];
        tom = new float[g * g];
        try (Correlation c = Correlation.standardize(backend, expr, Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            TilePlan plan = new TilePlan(g, c.samples(), 0, 64);
            k = TopologicalOverlap.adjacency(backend, c, NetworkType.UNSIGNED, TomType.UNSIGNED, 6, plan, FloatMatrix.wrap(adj, g, g), 2, x -> { });
            TopologicalOverlap.tom(backend, FloatMatrix.wrap(adj, g, g), k, TomType.UNSIGNED, plan, FloatMatrix.wrap(tom, g, g), 2, x -> { });
        }
        Fixtures.Table cuts = Fixtures.read("cutreeDynamic.tsv", true);
        labels = Arrays.stream(cuts.column(cuts.column("deepSplit2"))).mapToInt(v -> (int) v).toArray();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /**
     * Sums of |a| of a stored adjacency (diagonal 0) over all other features and over the other members of
     * each feature's label, in plain double loops: the reference for the pipeline's recomputed connectivities.
     */
    static ModuleOutputs.Connectivity fromStoredAdjacency(float[] a, int[] labels) {
        int n = labels.length;
        double[] total = new double[n], within = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double v = Math.abs(a[i * n + j]);   // a signed TOM's adjacency carries sign(r)
                total[i] += v;
                if (labels[j] == labels[i]) within[i] += v;
            }
        return ModuleOutputs.Connectivity.of(total, within);
    }

    /** The pipeline's connectivities (recomputed module by module) against WGCNA's intramodularConnectivity. */
    @Test
    void intramodular_connectivity_matches_wgcna() {
        ModuleOutputs.Connectivity k = AdjacencyPass.moduleConnectivity(backend, expr, Fixtures.genes(), CorrelationMethod.PEARSON, 1,
                new AdjacencyPass.Work(NetworkType.UNSIGNED, TomType.UNSIGNED, 6, null), ModuleOutputsTest.k, labels, 64,
                FloatMatrix.wrap(new float[g * g], g, g), 2);
        Fixtures.Table ref = Fixtures.read("intramodular.tsv", true);
        double max = 0;
        double[][] mine = {k.kTotal(), k.kWithin(), k.kOut(), k.kDiff()};
        String[] names = {"kTotal", "kWithin", "kOut", "kDiff"};
        for (int c = 0; c < 4; c++) {
            double[] r = ref.column(ref.column(names[c]));
            for (int i = 0; i < g; i++) max = Math.max(max, Math.abs(mine[c][i] - r[i]));
        }
        System.out.printf("WGCNA agreement: intramodularConnectivity kTotal/kWithin/kOut/kDiff max |diff| %.3g%n", max);
        assertTrue(max < 1e-4, "max " + max);
    }

    /**
     * The within-module connectivities recomputed module by module after the clustering (the run no longer
     * keeps the adjacency) equal those summed from the stored adjacency, for unsigned and signed networks,
     * a signed TOM (signed adjacencies) and a fractional power, with strips that do not divide the modules
     * (relative tolerance 1e-12: the same float adjacencies summed in the same order); the totals are the
     * adjacency pass's k (float partial sums: 1e-6).
     */
    @Test
    void within_module_connectivities_recomputed_by_module_equal_the_stored_adjacency() {
        Object[][] cases = {{NetworkType.UNSIGNED, TomType.UNSIGNED, 6.0}, {NetworkType.UNSIGNED, TomType.SIGNED, 6.0},
                {NetworkType.SIGNED, TomType.UNSIGNED, 5.5}};
        try (Correlation c = Correlation.standardize(backend, expr, Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            for (Object[] cs : cases) {
                NetworkType type = (NetworkType) cs[0];
                TomType tomType = (TomType) cs[1];
                double beta = (Double) cs[2];
                float[] stored = new float[g * g];
                double[] k = TopologicalOverlap.adjacency(backend, c, type, tomType, beta, new TilePlan(g, c.samples(), 0, 64),
                        FloatMatrix.wrap(stored, g, g), 2, x -> { });
                ModuleOutputs.Connectivity want = fromStoredAdjacency(stored, labels);
                ModuleOutputs.Connectivity got = AdjacencyPass.moduleConnectivity(backend, expr, Fixtures.genes(), CorrelationMethod.PEARSON, 1,
                        new AdjacencyPass.Work(type, tomType, beta, null), k, labels, 37, FloatMatrix.wrap(new float[g * g], g, g), 2);
                for (int i = 0; i < g; i++) {
                    String at = type + " network, " + tomType + " TOM, power " + beta + ", feature " + i;
                    assertEquals(want.kWithin()[i], got.kWithin()[i], 1e-12 * want.kTotal()[i], "kWithin " + at);
                    assertEquals(want.kTotal()[i], got.kTotal()[i], 1e-6 * want.kTotal()[i], "kTotal " + at);
                    assertEquals(want.kDiff()[i], got.kDiff()[i], 2e-6 * want.kTotal()[i], "kDiff " + at);
                }
            }
        }
    }

    @Test
    void module_trait_correlations_and_p_values_match_wgcna() throws Exception {
        List<String> samples = Fixtures.read("expr.tsv", true).columns();
        org.omx.engine.traits.TraitTable traits = org.omx.engine.traits.TraitTable.read(Fixtures.DIR.resolve("traits.tsv"), samples);
        assertEquals(List.of("weight", "age", "score"), traits.names());
        Fixtures.Table rme = Fixtures.read("eigengenes.tsv", true);
        Fixtures.Table rcor = Fixtures.read("module_trait_cor.tsv", true);
        Fixtures.Table rp = Fixtures.read("module_trait_p.tsv", true);
        // R's eigengenes in, so that this checks the correlation and p-value alone
        int[] modules = rme.columns().stream().mapToInt(c -> Integer.parseInt(c.substring(2))).toArray();
        double[][] e = new double[modules.length][];
        for (int m = 0; m < modules.length; m++) e[m] = rme.column(m);
        ModuleOutputs.ModuleTrait mt = ModuleOutputs.moduleTrait(new ModuleEigengenes.Result(modules, e, new double[modules.length]), traits);
        double maxR = 0, maxP = 0;
        for (int m = 0; m < modules.length; m++)
            for (int t = 0; t < 3; t++) {
                int row = rcor.rows().indexOf("ME" + modules[m]);
                maxR = Math.max(maxR, Math.abs(mt.cor()[m][t] - rcor.values()[row][t]));
                double ref = rp.values()[row][t];
                maxP = Math.max(maxP, Math.abs(mt.p()[m][t] - ref) / ref);
                assertEquals(60, mt.n()[m][t]);
            }
        // omx's own eigengenes (from float32 data)
        ModuleEigengenes.Result me = ModuleEigengenes.compute(expr, labels);
        ModuleOutputs.ModuleTrait own = ModuleOutputs.moduleTrait(me, traits);
        double maxOwn = 0;
        for (int m = 0; m < me.modules().length; m++)
            for (int t = 0; t < 3; t++)
                maxOwn = Math.max(maxOwn, Math.abs(own.cor()[m][t] - rcor.values()[rcor.rows().indexOf("ME" + me.modules()[m])][t]));
        System.out.printf("WGCNA agreement: module-trait cor max |diff| %.3g (R's MEs), %.3g (omx MEs); Student p max relative diff %.3g%n",
                maxR, maxOwn, maxP);
        assertTrue(maxR < 1e-10 && maxP < 1e-8 && maxOwn < 1e-5);
        assertTrue(mt.toTsv().startsWith("module\ttrait\tcor\tp\tn\nME0\tweight\t"));
    }

    @Test
    void traits_with_missing_values_and_text_columns() throws Exception {
        Path f = dir.resolve("t.tsv");
        Files.writeString(f, "sample_id\tsex\tbmi\nS1\tF\t20\nS2\tM\tNA\nS3\tF\t25\nS4\tM\t30\nS5\tF\t22\n");
        org.omx.engine.traits.TraitTable t = org.omx.engine.traits.TraitTable.read(f, List.of("S1", "S2", "S3", "S4", "S5", "S6"));
        assertEquals(List.of("bmi"), t.names());
        assertEquals(List.of("sex"), t.skipped());
        assertTrue(Double.isNaN(t.values()[0][1]) && Double.isNaN(t.values()[0][5]));
        double[] e = {1, 2, 3, 4, 5, 6};
        ModuleOutputs.ModuleTrait mt = ModuleOutputs.moduleTrait(new ModuleEigengenes.Result(new int[]{1}, new double[][]{e}, new double[1]), t);
        assertEquals(4, mt.n()[0][0]);
        assertEquals(ModuleOutputs.pairwisePearson(new double[]{1, 3, 4, 5}, new double[]{20, 25, 30, 22})[0], mt.cor()[0][0], 1e-15);
        assertEquals(0, org.omx.engine.traits.TraitTable.read(f, List.of("X1", "X2", "X3")).matchedSamples());
    }

    @Test
    void hubs_are_the_highest_kme_members() {
        ModuleEigengenes.Result me = ModuleEigengenes.compute(expr, labels);
        double[][] kme = ModuleEigengenes.kME(expr, me);
        ModuleOutputs.Connectivity k = fromStoredAdjacency(adj, labels);
        List<ModuleOutputs.Hub> hubs = ModuleOutputs.hubs(labels, me, kme, k, 3);
        int assigned = (int) Arrays.stream(me.modules()).filter(m -> m != 0).count();
        assertEquals(3 * assigned, hubs.size());
        for (ModuleOutputs.Hub h : hubs) {
            int col = Arrays.binarySearch(me.modules(), h.module());
            int better = 0;
            for (int i = 0; i < g; i++) if (labels[i] == h.module() && kme[i][col] > h.kME()) better++;
            assertEquals(h.rank() - 1, better);
            assertEquals(h.module(), labels[h.feature()]);
        }
    }

    private Map<String, float[]> readEdges(Path f) throws Exception {
        Map<String, float[]> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f))))) {
            assertEquals("feature_a\tfeature_b\tcor\ttom", r.readLine());
            for (String line; (line = r.readLine()) != null; ) {
                String[] x = line.split("\t");
                assertNull(m.put(x[0] + "-" + x[1], new float[]{Float.parseFloat(x[2]), Float.parseFloat(x[3])}), "each pair once");
            }
        }
        return m;
    }

    @Test
    void edge_lists_streamed_by_tiles_equal_plain_loops() throws Exception {
        List<String> ids = Fixtures.genes();
        double[][] rc = Fixtures.read("cor_pearson.tsv", true).values();
        FloatMatrix t = FloatMatrix.wrap(tom, g, g);
        try (Correlation c = Correlation.standardize(backend, expr, ids, CorrelationMethod.PEARSON, 1, 2)) {
            for (EdgeList.Rule rule : List.of(new EdgeList.Rule(0.5, Double.NaN, 0), new EdgeList.Rule(Double.NaN, 0.1, 0),
                    new EdgeList.Rule(0.3, Double.NaN, 3), new EdgeList.Rule(Double.NaN, Double.NaN, 5))) {
                Path f = dir.resolve("e.tsv.gz");
                long n = EdgeList.write(backend, c, t, ids, rule, 64, f, 2);   // 3 row blocks
                Map<String, float[]> got = readEdges(f);
                assertEquals(n, got.size());
                // plain: R's correlations, the TOM, k-th largest by sorting each row
                double[] kth = new double[g];
                for (int i = 0; i < g; i++) {
                    double[] row = new double[g - 1];
                    for (int j = 0, q = 0; j < g; j++) if (j != i) row[q++] = tom[i * g + j];
                    Arrays.sort(row);
                    kth[i] = rule.topK() > 0 ? row[g - 1 - rule.topK()] : 0;
                }
                int expected = 0, boundary = 0;
                double maxCor = 0, maxTom = 0;
                for (int i = 0; i < g; i++)
                    for (int j = i + 1; j < g; j++) {
                        double r = rc[i][j], tv = tom[i * g + j];
                        boolean keep = (Double.isNaN(rule.minAbsCor()) || Math.abs(r) >= rule.minAbsCor())
                                && (Double.isNaN(rule.minTom()) || tv >= rule.minTom())
                                && (rule.topK() == 0 || tv >= kth[i] || tv >= kth[j]);
                        boolean near = !Double.isNaN(rule.minAbsCor()) && Math.abs(Math.abs(r) - rule.minAbsCor()) < 1e-5;
                        float[] e = got.get(ids.get(i) + "-" + ids.get(j));
                        if (near) boundary++;
                        else assertEquals(keep, e != null, ids.get(i) + "-" + ids.get(j) + " " + rule);
                        if (keep) expected++;
                        if (e != null) {
                            maxCor = Math.max(maxCor, Math.abs(e[0] - r));
                            maxTom = Math.max(maxTom, Math.abs(e[1] - tv));
                        }
                    }
                System.out.printf("edge list (%s): %d edges, plain loop %d (%d pairs within 1e-5 of the cut), cor max |diff| vs R %.3g%n",
                        rule.describe(), n, expected, boundary, maxCor);
                assertTrue(maxCor < 1e-5 && maxTom == 0);
            }
        }
    }
}
