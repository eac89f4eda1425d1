package org.omx.engine.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

import static org.junit.jupiter.api.Assertions.*;

/** Pairwise-complete Pearson against R cor(use = "pairwise.complete.obs") and WGCNA cor(use = "p") on expr_na.tsv. */
class PairwiseCorrelationTest {

    static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("cpu", 2, s -> { });
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static FloatMatrix exprNa() {
        return CrossCorrelationTest.matrix(Fixtures.read("expr_na.tsv", true));
    }

    @Test
    void pairwise_complete_pearson_matches_r_and_wgcna_within_1e5() {
        FloatMatrix x = exprNa();
        int g = x.rows();
        try (Correlation c = Correlation.standardize(backend, x, Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            assertTrue(c.pairwise());
            float[] out = new float[g * g];
            FloatMatrix all = FloatMatrix.wrap(out, g, g);
            for (int r0 = 0; r0 < g; r0 += 64)
                for (int c0 = 0; c0 < g; c0 += 48)
                    c.block(backend, r0, c0, all.block(r0, c0, Math.min(64, g - r0), Math.min(48, g - c0)));
            double stats = Fixtures.maxAbsDiff(all, Fixtures.read("cor_pairwise.tsv", true).values(), false);
            double wgcna = Fixtures.maxAbsDiff(all, Fixtures.read("cor_pairwise_wgcna.tsv", true).values(), false);
            System.out.printf("R agreement: pairwise-complete Pearson max |diff| %.3g vs stats::cor, %.3g vs WGCNA::cor(use = \"p\")%n", stats, wgcna);
            assertTrue(stats < 1e-5 && wgcna < 1e-5);
            assertEquals(0, c.undefinedPairs());
        }
    }

    @Test
    void complete_data_takes_the_fast_path_and_spearman_with_missing_is_refused() {
        try (Correlation c = Correlation.standardize(backend, Fixtures.expression(), Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            assertFalse(c.pairwise());
        }
        NetworkInputException e = assertThrows(NetworkInputException.class,
                () -> Correlation.standardize(backend, exprNa(), Fixtures.genes(), CorrelationMethod.SPEARMAN, 1, 2));
        assertTrue(e.getMessage().contains("pearson only"), e.getMessage());
    }

    @Test
    void network_with_missing_values_runs_through_adjacency_tom_and_eigengenes() {
        FloatMatrix x = exprNa();
        int g = x.rows();
        float[] a = new float[g * g];
        float[] t = new float[g * g];
        try (Correlation c = Correlation.standardize(backend, x, Fixtures.genes(), CorrelationMethod.PEARSON, 1, 2)) {
            TilePlan plan = new TilePlan(g, c.samples(), 0, 64);
            double[] k = TopologicalOverlap.adjacency(backend, c, NetworkType.UNSIGNED, TomType.UNSIGNED, 6, plan, FloatMatrix.wrap(a, g, g), 2, v -> { });
            TopologicalOverlap.tom(backend, FloatMatrix.wrap(a, g, g), k, TomType.UNSIGNED, plan, FloatMatrix.wrap(t, g, g), 2, v -> { });
        }
        for (float v : t) assertFalse(Float.isNaN(v));
        float[] d = new float[g * g];
        for (int i = 0; i < g * g; i++) d[i] = 1 - t[i];
        HierarchicalClustering.Tree tree = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(d.clone(), g, g));
        int[] labels = DynamicTreeCut.cut(tree, (i, j) -> d[i * g + j], new DynamicTreeCut.Options(10, 2, Double.NaN, false));
        ModuleEigengenes.Result me = ModuleEigengenes.compute(x, labels);
        double[][] kme = ModuleEigengenes.kME(x, me);
        for (double[] e : me.eigengenes()) for (double v : e) assertFalse(Double.isNaN(v));
        for (double[] row : kme) for (double v : row) assertFalse(Double.isNaN(v));
        int[] truth = java.util.Arrays.stream(Fixtures.read("truth.tsv", true).column(0)).mapToInt(v -> (int) v).toArray();
        double ari = AdjustedRandIndex.of(labels, truth);
        System.out.printf("planted modules recovered with 5%% missing values (pairwise-complete): ARI %.4f%n", ari);
        assertTrue(ari > 0.9);
    }
}
