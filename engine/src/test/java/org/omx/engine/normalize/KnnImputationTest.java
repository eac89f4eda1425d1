package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Feature-wise KNN imputation against impute::impute.knn 1.72 and a plain double implementation. */
class KnnImputationTest {

    @TempDir
    Path dir;

    @Test
    void matches_impute_knn_except_its_first_element_slip() throws Exception {
        Fixtures.Table input = Fixtures.read("knn_input.tsv");
        Path in = Fixtures.store(dir, "metab", input, "log intensity");
        for (int k : new int[] {5, 10}) {
            Path out = dir.resolve("knn" + k + ".omx");
            List<String> log = new ArrayList<>();
            try (MatrixStore s = MatrixStore.open(in)) {
                new KnnImputation(k).apply(s, out, false, Fixtures.context(4096, log));
            }
            Fixtures.Table r = Fixtures.read("knn_k" + k + ".tsv");
            double[][] plain = plainKnn(input.values(), k, 0.5);
            double maxR = 0;
            double maxPlain = 0;
            try (MatrixStore s = MatrixStore.open(out)) {
                for (int i = 0; i < s.rows(); i++)
                    for (int j = 0; j < s.cols(); j++) {
                        double v = s.get(i, j);
                        assertFalse(Double.isNaN(v));
                        maxPlain = Math.max(maxPlain, Math.abs(v - plain[i][j]));
                        // M080 (> rowmax missing) in sample S01 is where impute's sample mean counts x[1,1] as 0
                        if (i == 79 && j == 0 && Double.isNaN(input.values()[i][j])) continue;
                        maxR = Math.max(maxR, Math.abs(v - r.values()[i][j]));
                    }
            }
            System.out.printf("knn k=%d: max abs error vs impute.knn %.3g, vs plain double %.3g%n", k, maxR, maxPlain);
            assertTrue(maxR < 1e-5, "vs R " + maxR);
            assertTrue(maxPlain < 1e-5, "vs plain " + maxPlain);
            assertTrue(log.stream().anyMatch(l -> l.contains("2 features with more than 7 of 15 values missing")), log.toString());
        }
    }

    @Test
    void random_data_with_tiny_tiles_matches_the_plain_definition() throws Exception {
        Random rnd = new Random(7);
        int p = 57;
        int n = 9;
        double[][] v = new double[p][n];
        for (int i = 0; i < p; i++) {
            double base = rnd.nextGaussian() * 3;
            for (int j = 0; j < n; j++) v[i][j] = rnd.nextDouble() < 0.15 ? Double.NaN : (float) (base + rnd.nextGaussian());
        }
        List<String> rows = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < p; i++) rows.add("F" + i);
        for (int j = 0; j < n; j++) cols.add("S" + j);
        Path in = Fixtures.store(dir, "r", new Fixtures.Table(rows, cols, v), "x");
        try (MatrixStore s = MatrixStore.open(in)) {
            new KnnImputation(3).apply(s, dir.resolve("o.omx"), false, Fixtures.context(256, new ArrayList<>()));
        }
        double[][] plain = plainKnn(v, 3, 0.5);
        try (MatrixStore s = MatrixStore.open(dir.resolve("o.omx"))) {
            for (int i = 0; i < p; i++) for (int j = 0; j < n; j++) assertEquals(plain[i][j], s.get(i, j), 1e-5, i + "," + j);
        }
    }

    @Test
    void a_sample_mostly_missing_is_an_error_naming_it() throws Exception {
        double[][] v = {{1, Double.NaN, 3}, {2, Double.NaN, 4}, {5, Double.NaN, 6}, {1, 2, 3}, {7, Double.NaN, 8}, {1, Double.NaN, 2}};
        Path in = Fixtures.store(dir, "m", new Fixtures.Table(List.of("a", "b", "c", "d", "e", "f"), List.of("X", "Y", "Z"), v), "x");
        try (MatrixStore s = MatrixStore.open(in)) {
            InputFormatException e = assertThrows(InputFormatException.class,
                    () -> new KnnImputation(2).apply(s, dir.resolve("o.omx"), false, Fixtures.context()));
            assertTrue(e.getMessage().contains("sample Y has 5 of 6 features missing"), e.getMessage());
        }
    }

    /** The stated definition, written plainly in double (float inputs, as the store holds them). */
    static double[][] plainKnn(double[][] x0, int k, double rowmax) {
        int p = x0.length;
        int n = x0[0].length;
        double[][] x = new double[p][];
        for (int i = 0; i < p; i++) {
            x[i] = new double[n];
            for (int j = 0; j < n; j++) x[i][j] = Double.isNaN(x0[i][j]) ? Double.NaN : (float) x0[i][j];
        }
        int limit = (int) (rowmax * n);
        boolean[] keep = new boolean[p];
        for (int i = 0; i < p; i++) keep[i] = Arrays.stream(x[i]).filter(Double::isNaN).count() <= limit;
        double[] colMean = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            int c = 0;
            for (int i = 0; i < p; i++) if (keep[i] && !Double.isNaN(x[i][j])) { s += x[i][j]; c++; }
            colMean[j] = s / c;
        }
        double[][] out = new double[p][];
        for (int i = 0; i < p; i++) {
            out[i] = x[i].clone();
            if (!keep[i]) {
                for (int j = 0; j < n; j++) if (Double.isNaN(out[i][j])) out[i][j] = colMean[j];
                continue;
            }
            List<double[]> cand = new ArrayList<>();   // {distance, index}
            for (int b = 0; b < p; b++) {
                if (b == i || !keep[b]) continue;
                double ss = 0;
                int co = 0;
                for (int j = 0; j < n; j++)
                    if (!Double.isNaN(x[i][j]) && !Double.isNaN(x[b][j])) { ss += (x[i][j] - x[b][j]) * (x[i][j] - x[b][j]); co++; }
                if (co > 0) cand.add(new double[] {ss / co, b});
            }
            cand.sort((u, w) -> u[0] != w[0] ? Double.compare(u[0], w[0]) : Double.compare(u[1], w[1]));
            for (int j = 0; j < n; j++) {
                if (!Double.isNaN(x[i][j])) continue;
                double s = 0;
                int c = 0;
                for (int q = 0; q < Math.min(k, cand.size()); q++) {
                    double y = x[(int) cand.get(q)[1]][j];
                    if (!Double.isNaN(y)) { s += y; c++; }
                }
                out[i][j] = c > 0 ? s / c : colMean[j];
            }
        }
        return out;
    }
}
