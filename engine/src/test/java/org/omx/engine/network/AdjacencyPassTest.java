package org.omx.engine.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused symmetric pass (strips of the upper triangle, mirrored) against R WGCNA 1.72-1 on the
 * fixture (60 samples x 150 genes; calls in fixtures/network/README): one pass gives the
 * pickSoftThreshold table (1e-4) and the adjacency (1e-5); the automatic-power route (correlations
 * first, adjacency afterwards) gives the same adjacency; the TOM pass's 1 - TOM output is the
 * complement of its TOM, in memory (whole panels) and tiled (square tiles). Panels of 37 or 16 columns:
 * ragged, several mirrored panels.
 */
class AdjacencyPassTest {

    /** Float32 unit roundoff, 2^-24. */
    static final double ULP = 0x1p-24;

    static Backend backend;
    static FloatMatrix expr;
    static List<String> genes;

    @BeforeAll
    static void open() {
        backend = Backends.open("cpu", 2, s -> { });
        expr = Fixtures.expression();
        genes = Fixtures.genes();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void one_pass_gives_wgcna_table_and_adjacency() {
        int g = expr.rows();
        for (var c : new Object[][]{{NetworkType.UNSIGNED, 6.0, "sft_unsigned.tsv", "adj_unsigned_6.tsv"},
                {NetworkType.SIGNED, 12.0, "sft_signed.tsv", "adj_signed_12.tsv"},
                {NetworkType.SIGNED_HYBRID, 6.0, "sft_signed_hybrid.tsv", "adj_hybrid_6.tsv"}}) {
            double[] ps = SoftThreshold.DEFAULT_POWERS;
            double[][] tableK = new double[ps.length][g];
            FloatMatrix a = FloatMatrix.wrap(new float[g * g], g, g);
            double[] k;
            try (Correlation corr = Correlation.standardize(backend, expr, genes, CorrelationMethod.PEARSON, 1, 2)) {
                k = AdjacencyPass.run(backend, corr, new AdjacencyPass.Work((NetworkType) c[0], TomType.UNSIGNED, (Double) c[1], ps),
                        tableK, 37, g, a, 2, x -> { });
            }
            SoftThreshold.Table table = SoftThreshold.fromConnectivities(ps, tableK, 0.85);
            Fixtures.Table ref = Fixtures.read((String) c[2], false);
            for (int p = 0; p < ref.values().length; p++) {
                double[] r = ref.values()[p];
                SoftThreshold.Fit f = table.fits().get(p);
                double[] mine = {f.rSquared(), f.slope(), f.truncatedRSquared(), f.meanK(), f.medianK(), f.maxK()};
                for (int q = 0; q < 6; q++)
                    assertEquals(r[q + 1], mine[q], 1e-4, c[2] + " power " + r[0] + " column " + (q + 1));
            }
            double err = Fixtures.maxAbsDiff(a, Fixtures.read((String) c[3], true).values(), true);
            assertTrue(err < 1e-5, c[3] + ": " + err);
            for (int i = 0; i < g; i++) {
                assertEquals(0f, a.get(i, i));
                double s = 0;
                for (int j = 0; j < g; j++) s += a.get(i, j);
                assertEquals(s, k[i], 1e-5 * s);
            }
        }
    }

    @Test
    void correlations_then_adjacency_equals_the_fused_pass() {
        int g = expr.rows();
        for (TomType tt : TomType.values()) {
            FloatMatrix fused = FloatMatrix.wrap(new float[g * g], g, g);
            FloatMatrix later = FloatMatrix.wrap(new float[g * g], g, g);
            double[] k1;
            double[] k2;
            try (Correlation corr = Correlation.standardize(backend, expr, genes, CorrelationMethod.PEARSON, 1, 2)) {
                k1 = AdjacencyPass.run(backend, corr, new AdjacencyPass.Work(NetworkType.UNSIGNED, tt, 6, null), null, 37, 37, fused, 2, x -> { });
                assertNull(AdjacencyPass.run(backend, corr, new AdjacencyPass.Work(NetworkType.UNSIGNED, tt, Double.NaN, null), null, 37, g, later, 2, x -> { }));
            }
            assertEquals(1f, later.get(3, 3), 1e-6f);   // correlations kept, diagonal included
            k2 = AdjacencyPass.toAdjacency(later, NetworkType.UNSIGNED, tt, 6, 37, 2);
            assertArrayEquals(fused.toArray(), later.toArray(), 1e-6f);   // tiles of 37 rows vs whole panels: GEMM rounding only
            assertArrayEquals(k1, k2, 1e-5);
            if (tt == TomType.SIGNED) assertTrue(java.util.Arrays.stream(ints(fused)).anyMatch(v -> v < 0), "signed TOM keeps sign(r)");
        }
    }

    private static double[] ints(FloatMatrix m) {
        float[] f = m.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void tom_pass_writes_the_complement_for_clustering() {
        int g = expr.rows();
        FloatMatrix a = FloatMatrix.wrap(new float[g * g], g, g);
        double[] k;
        try (Correlation corr = Correlation.standardize(backend, expr, genes, CorrelationMethod.PEARSON, 1, 2)) {
            k = AdjacencyPass.run(backend, corr, new AdjacencyPass.Work(NetworkType.UNSIGNED, TomType.UNSIGNED, 6, null), null, 16, 16, a, 2, x -> { });
        }
        FloatMatrix t = FloatMatrix.wrap(new float[g * g], g, g);
        FloatMatrix d = FloatMatrix.wrap(new float[g * g], g, g);
        TopologicalOverlap.tom(backend, a, k, TomType.UNSIGNED, new TilePlan(g, expr.cols(), 0, 16), t, 2, x -> { });
        TopologicalOverlap.complement(t, d, 16, 2);
        double err = Fixtures.maxAbsDiff(t, Fixtures.read("tom_unsigned_6.tsv", true).values(), false);
        assertTrue(err < 1e-4, "TOM: " + err);
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++) {
                assertEquals(1f - t.get(i, j), d.get(i, j), 0f);
                assertEquals(t.get(i, j), t.get(j, i), 0f);
            }
        // in memory: each panel of 16 columns is one tall product of all rows below it
        TilePlan inMemory = new TilePlan(g, expr.cols(), 1L << 30, 16);
        assertTrue(inMemory.inMemory());
        FloatMatrix t2 = FloatMatrix.wrap(new float[g * g], g, g);
        FloatMatrix d2 = FloatMatrix.wrap(new float[g * g], g, g);
        TopologicalOverlap.tom(backend, a, k, TomType.UNSIGNED, inMemory, t2, 2, x -> { });
        TopologicalOverlap.complement(t2, d2, 16, 2);
        assertArrayEquals(t.toArray(), t2.toArray(), 1e-6f);
        assertArrayEquals(d.toArray(), d2.toArray(), 1e-6f);
        for (int i = 0; i < g; i++) for (int j = 0; j < g; j++) assertEquals(t2.get(i, j), t2.get(j, i), 0f);
    }

    @Test
    void symmetric_correlation_matrix_equals_the_full_product() {
        // 1100 features: three panels of Correlation.PANEL columns, the last one ragged
        SplittableRandom rnd = new SplittableRandom(3);
        int g = 1100;
        int n = 40;
        float[] data = new float[g * n];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        FloatMatrix x = FloatMatrix.wrap(data, g, n);
        List<String> ids = java.util.stream.IntStream.range(0, g).mapToObj(i -> "f" + i).toList();
        FloatMatrix sym = FloatMatrix.wrap(new float[g * g], g, g);
        FloatMatrix full = FloatMatrix.wrap(new float[g * g], g, g);
        try (Correlation c = Correlation.standardize(backend, x, ids, CorrelationMethod.PEARSON, 1, 2)) {
            long flops = c.symmetric(backend, sym, 2);
            assertEquals(2L * n * (1100L * 512 + 588L * 512 + 76L * 76), flops);
            c.block(backend, 0, 0, full);
        }
        assertArrayEquals(full.toArray(), sym.toArray(), 1e-6f);
        for (int i = 0; i < g; i += 7) for (int j = 0; j < g; j += 5) assertEquals(sym.get(i, j), sym.get(j, i), 0f);
    }

    @Test
    void row_powers_match_plain_double_loops() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : new int[]{1, 15, 16, 17, 255, 256, 257, 1000}) {
            float[] r = new float[n];
            for (int j = 0; j < n; j++) r[j] = (float) (2 * rnd.nextDouble() - 1);
            for (NetworkType type : NetworkType.values()) {
                float[] x = new float[n];
                RowPowers.base(r, x, n, type);
                int[] powers = {1, 2, 3, 5, 8, 12, 20};
                double[] sums = new double[powers.length];
                RowPowers.powerSums(x, n, powers, new float[n], sums);
                for (int p = 0; p < powers.length; p++) {
                    double ref = 0;
                    for (int j = 0; j < n; j++) ref += Math.pow(type.base(r[j]), powers[p]);
                    // float rounding: about one ulp per multiply (p of them, base included) and 16 terms per lane per chunk
                    assertEquals(ref, sums[p], (powers[p] + 20) * ULP * Math.max(1, ref), type + " n " + n + " power " + powers[p]);
                }
                for (boolean keepSign : new boolean[]{false, true}) {
                    for (int beta : new int[]{1, 6, 7, 12}) {
                        float[] a = r.clone();
                        RowPowers.adjacency(a, n, type, keepSign, beta);
                        for (int j = 0; j < n; j++) {
                            double ref = Math.pow(type.base(r[j]), beta) * (keepSign && r[j] < 0 ? -1 : 1);
                            assertEquals(ref, a[j], (beta + 8) * ULP * Math.abs(ref) + 1e-30, type + " beta " + beta + " j " + j);
                        }
                    }
                }
                assertEquals(java.util.stream.IntStream.range(0, n).mapToDouble(j -> Math.abs(r[j])).sum(), RowPowers.absSum(r, n), 1e-6 * n);
            }
        }
    }
}
