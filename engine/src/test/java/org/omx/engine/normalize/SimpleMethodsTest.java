package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Methods whose definition is a line of arithmetic, checked against that line computed in double
 * here, plus the bad input each one must refuse or handle as stated.
 */
class SimpleMethodsTest {

    @TempDir
    Path dir;

    private Path store(String name, double[][] v) throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < v.length; i++) rows.add("F" + i);
        for (int j = 0; j < v[0].length; j++) cols.add("S" + j);
        return Fixtures.store(dir, name, new Fixtures.Table(rows, cols, v), "x");
    }

    private double[][] run(Normalization m, Path in, List<String> log) throws Exception {
        Path out = dir.resolve(m.name() + "-" + System.nanoTime() + ".omx");
        try (MatrixStore s = MatrixStore.open(in)) {
            m.apply(s, out, false, Fixtures.context(64 << 20, log));
        }
        try (MatrixStore o = MatrixStore.open(out)) {
            double[][] r = new double[(int) o.rows()][o.cols()];
            for (int i = 0; i < o.rows(); i++) for (int j = 0; j < o.cols(); j++) r[i][j] = o.get(i, j);
            assertEquals("normalize:" + m.name(), o.meta().provenance().getLast().step());
            return r;
        }
    }

    private static final double[][] X = {{1, 2, 3, 4}, {2, 0, 6, 8}, {5, 5, 1, 0}, {7, 1, 2, 9}};

    @Test
    void tss_clr_pqn_median_center_by_definition() throws Exception {
        Path in = store("x", X);
        double[][] tss = run(new TotalSumScaling(1), in, new ArrayList<>());
        double[][] clr = run(new Clr(1), in, new ArrayList<>());
        double[][] mc = run(new MedianCentering(), in, new ArrayList<>());
        double[][] pqn = run(new Pqn(), in, new ArrayList<>());
        for (int j = 0; j < 4; j++) {
            double tot = 0, ml = 0;
            double[] col = new double[4];
            for (int i = 0; i < 4; i++) {
                tot += X[i][j];
                ml += Math.log(X[i][j] + 1) / 4;
                col[i] = X[i][j];
            }
            double med = Ranks.median(col.clone(), 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(X[i][j] / tot, tss[i][j], 1e-7);
                assertEquals(Math.log(X[i][j] + 1) - ml, clr[i][j], 1e-6);
                assertEquals(X[i][j] - med, mc[i][j], 1e-6);
            }
        }
        // PQN: reference = row medians; factor = median of positive quotients; column / factor
        double[] ref = new double[4];
        for (int i = 0; i < 4; i++) ref[i] = Ranks.median(X[i].clone(), 4);
        for (int j = 0; j < 4; j++) {
            double[] q = new double[4];
            int m = 0;
            for (int i = 0; i < 4; i++) if (X[i][j] > 0) q[m++] = X[i][j] / ref[i];
            double f = Ranks.median(q, m);
            for (int i = 0; i < 4; i++) assertEquals(X[i][j] / f, pqn[i][j], 1e-6);
        }
    }

    @Test
    void zscore_pareto_and_constant_features() throws Exception {
        double[][] v = {{1, 2, 3, 4}, {5, 5, 5, 5}, {2, Double.NaN, 4, 6}};
        List<String> log = new ArrayList<>();
        Path in = store("z", v);
        double[][] z = run(new ZScore(), in, log);
        double[][] p = run(new ParetoScaling(), in, new ArrayList<>());
        double sd = Math.sqrt(5 / 3.0);
        assertEquals((1 - 2.5) / sd, z[0][0], 1e-6);
        assertEquals((1 - 2.5) / Math.sqrt(sd), p[0][0], 1e-6);
        assertArrayEquals(new double[]{0, 0, 0, 0}, z[1], 0, "constant feature becomes 0, not NaN");
        assertTrue(Double.isNaN(z[2][1]), "missing stays missing");
        assertEquals(-1, z[2][0], 1e-6);
        assertTrue(log.stream().anyMatch(l -> l.contains("1 features with zero variance")), log.toString());
    }

    @Test
    void half_minimum_fills_missing_per_feature() throws Exception {
        double[][] v = {{4, Double.NaN, 3, 8}, {Double.NaN, Double.NaN, Double.NaN, Double.NaN}};
        List<String> log = new ArrayList<>();
        double[][] r = run(new HalfMinimumImputation(), store("h", v), log);
        assertArrayEquals(new double[]{4, 1.5, 3, 8}, r[0], 0);
        assertTrue(Double.isNaN(r[1][0]));
        assertTrue(log.stream().anyMatch(l -> l.contains("1 features with no observed value")), log.toString());
    }

    @Test
    void filters_keep_the_right_features_in_order() throws Exception {
        double[][] v = {{0, 0, 1, 0}, {10, 20, 30, 40}, {10, 10, 10, 11}, {100, 0, 300, 50}};
        Path in = store("f", v);
        assertEquals(2, run(new LowCountFilter(10, 4), in, new ArrayList<>()).length);
        assertEquals(2, run(new VarianceFilter(0.5), in, new ArrayList<>()).length);
        double[][] top = run(new TopVariance(2), in, new ArrayList<>());
        assertEquals(10, top[0][0]);   // F1 then F3, in store order
        assertEquals(100, top[1][0]);
        assertEquals(3, run(new PrevalenceFilter(0, 0.75), in, new ArrayList<>()).length);
        assertEquals(3, run(new AbundanceFilter(0.01), in, new ArrayList<>()).length);
        Exception e = assertThrows(InputFormatException.class, () -> run(new VarianceFilter(1e9), in, new ArrayList<>()));
        assertTrue(e.getMessage().contains("keeps no feature"));
    }

    @Test
    void count_methods_refuse_negative_non_integer_missing_and_all_zero_samples() throws Exception {
        String[][] cases = {{"-1", "negative value -1.0"}, {"2.5", "non-integer value 2.5"}, {"NaN", "a missing value"}};
        for (String[] c : cases) {
            double[][] v = {{1, 2, 3}, {4, Double.parseDouble(c[0]), 6}};
            Path in = store("bad" + System.nanoTime(), v);
            for (Normalization m : List.of(new Cpm(true), new LogCpm(false, 2), new MedianOfRatios(), new Vst(), new Voom(true),
                    new LowCountFilter(1, 1))) {
                Exception e = assertThrows(InputFormatException.class, () -> run(m, in, new ArrayList<>()), m.name());
                assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("feature F1, sample S1"), e.getMessage());
            }
        }
        Path zero = store("zero", new double[][]{{1, 0, 3}, {4, 0, 6}});
        for (Normalization m : List.of(new Cpm(true), new LogCpm(true, 2), new MedianOfRatios(), new TotalSumScaling(1), new Voom(true),
                new Vst())) {
            Exception e = assertThrows(InputFormatException.class, () -> run(m, zero, new ArrayList<>()), m.name());
            assertTrue(e.getMessage().contains("sample S1 has no counts"), e.getMessage());
        }
        Path negative = store("negint", new double[][]{{1, 2, 3}, {4, -5, 6}});
        Exception pqn = assertThrows(InputFormatException.class, () -> run(new Pqn(), negative, new ArrayList<>()));
        assertTrue(pqn.getMessage().contains("pqn needs non-negative intensities") && pqn.getMessage().contains("feature F1, sample S1"),
                pqn.getMessage());
        Path allGenesZero = store("gz", new double[][]{{1, 0, 3}, {0, 5, 6}});
        Exception e = assertThrows(InputFormatException.class, () -> run(new MedianOfRatios(), allGenesZero, new ArrayList<>()));
        assertTrue(e.getMessage().contains("every gene has a zero"), e.getMessage());
    }

    @Test
    void log_and_clr_refuse_values_without_a_logarithm() throws Exception {
        Path in = store("neg", new double[][]{{1, -2, 3}});
        Exception e = assertThrows(InputFormatException.class, () -> run(new Log2(1), in, new ArrayList<>()));
        assertTrue(e.getMessage().contains("feature F0, sample S1"), e.getMessage());
        Path zeros = store("zeros", new double[][]{{1, 0, 3}});
        e = assertThrows(InputFormatException.class, () -> run(new Clr(0), zeros, new ArrayList<>()));
        assertTrue(e.getMessage().contains("--pseudocount"), e.getMessage());
        Path gap = store("gap", new double[][]{{1, Double.NaN, 3}, {1, 2, 3}});
        e = assertThrows(InputFormatException.class, () -> run(new QuantileNormalization(), gap, new ArrayList<>()));
        assertTrue(e.getMessage().contains("impute first"), e.getMessage());
    }

    @Test
    void combat_passes_constant_features_through() throws Exception {
        double[][] v = new double[30][6];
        java.util.Random r = new java.util.Random(1);
        for (double[] row : v) for (int j = 0; j < 6; j++) row[j] = 5 + r.nextGaussian() + (j >= 3 ? 1 : 0);
        v[7] = new double[]{2, 2, 2, 3, 4, 5};
        List<String> log = new ArrayList<>();
        double[][] out = run(new ComBat(List.of("a", "a", "a", "b", "b", "b"), java.util.Map.of()), store("cb", v), log);
        assertArrayEquals(v[7], out[7], 1e-6);
        assertTrue(log.stream().anyMatch(l -> l.contains("1 features with zero variance within a batch passed through")), log.toString());
    }
}
