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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Bipartite correlation, Student p and exact streamed BH against R (cross_cor.tsv: cor, corPvalueStudent, p.adjust BH). */
class CrossCorrelationTest {

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

    static FloatMatrix matrix(Fixtures.Table t) {
        int g = t.rows().size(), n = t.columns().size();
        float[] d = new float[g * n];
        for (int i = 0; i < g; i++) for (int j = 0; j < n; j++) d[i * n + j] = (float) t.values()[i][j];
        return FloatMatrix.wrap(d, g, n);
    }

    private static Map<String, double[]> read(Path f) throws Exception {
        Map<String, double[]> m = new java.util.LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f))))) {
            assertEquals("feature_a\tfeature_b\tr\tp\tfdr", r.readLine());
            for (String line; (line = r.readLine()) != null; ) {
                String[] x = line.split("\t");
                m.put(x[0] + "-" + x[1], new double[]{Double.parseDouble(x[2]), Double.parseDouble(x[3]), Double.parseDouble(x[4])});
            }
        }
        return m;
    }

    @Test
    void r_p_and_bh_fdr_match_r_for_all_pairs_and_at_a_cut() throws Exception {
        Fixtures.Table ta = Fixtures.read("expr.tsv", true);
        Fixtures.Table tb = Fixtures.read("layer2.tsv", true);
        List<String> rowsA = new ArrayList<>(), rowsB = new ArrayList<>();
        List<double[]> ref = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.DIR.resolve("cross_cor.tsv")).subList(1, 6001)) {
            String[] f = line.split("\t");
            rowsA.add(f[0]);
            rowsB.add(f[1]);
            ref.add(new double[]{0, 0, Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])});
        }
        for (double fdr : new double[]{1, 0.05, 0.2}) {
            Path out = dir.resolve("c" + fdr + ".tsv.gz");
            // a small memory budget: several row tiles
            CrossCorrelation.Result r = CrossCorrelation.run(backend, matrix(ta), ta.rows(), matrix(tb), tb.rows(), CorrelationMethod.PEARSON,
                    1, fdr, 4 * 4 * 40 * 16, out, 2, s -> { });
            Map<String, double[]> got = read(out);
            double maxR = 0, maxP = 0, maxQ = 0;
            int expected = 0;
            for (int k = 0; k < 6000; k++) {
                double[] v = ref.get(k);
                double rr = v[2], pp = v[3], qq = v[4];
                double[] e = got.get(rowsA.get(k) + "-" + rowsB.get(k));
                if (qq <= fdr) {
                    expected++;
                    assertNotNull(e, rowsA.get(k) + "-" + rowsB.get(k) + " fdr " + qq);
                }
                if (e != null) {
                    maxR = Math.max(maxR, Math.abs(e[0] - rr));
                    maxP = Math.max(maxP, Math.abs(Math.log(e[1] / pp)));
                    maxQ = Math.max(maxQ, Math.abs(e[2] - qq) / qq);
                }
            }
            System.out.printf("R agreement (cross-layer, FDR <= %s): %d pairs written (R: %d), ranked in pass 2 %d; r max |diff| %.3g, "
                    + "p max |log ratio| %.3g, BH FDR max relative diff %.3g%n", fdr, got.size(), expected, r.kept(), maxR, maxP, maxQ);
            assertEquals(expected, got.size());
            assertTrue(maxR < 1e-5 && maxP < 1e-3 && maxQ < 1e-3, maxR + " " + maxP + " " + maxQ);
            double prev = 0;
            for (double[] e : got.values()) {
                assertTrue(e[1] >= prev, "sorted by p");
                prev = e[1];
            }
        }
    }

    /** R's p.adjust(p, "BH"), written the obvious way: order, n / i * p, cumulative min from the top. */
    static double[] naiveBh(double[] p) {
        int m = p.length;
        Integer[] o = new Integer[m];
        for (int i = 0; i < m; i++) o[i] = i;
        Arrays.sort(o, (a, b) -> Double.compare(p[b], p[a]));   // decreasing
        double[] q = new double[m];
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            int i = m - k;                                      // rank of o[k] in increasing order
            min = Math.min(min, (double) m / i * p[o[k]]);
            q[o[k]] = Math.min(1, min);
        }
        return q;
    }

    @Test
    void prefix_adjustment_equals_full_bh_with_ties() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int m = 200 + rnd.nextInt(300);
            double[] p = new double[m];
            for (int i = 0; i < m; i++) p[i] = rnd.nextDouble() < 0.2 ? rnd.nextDouble() * 1e-3 : Math.round(rnd.nextDouble() * 50) / 50.0;
            double[] full = naiveBh(p);
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double alpha = 0.05 + 0.3 * rnd.nextDouble();
            // a prefix holding every p that passes at alpha (here: all p <= the largest passing one, plus some)
            double pStar = 0;
            for (int i = 0; i < m; i++) if (full[i] <= alpha) pStar = Math.max(pStar, p[i]);
            int k = 0;
            while (k < m && sorted[k] <= pStar) k++;
            k = Math.min(m, k + rnd.nextInt(5));
            while (k < m && k > 0 && sorted[k] == sorted[k - 1]) k++;   // never cut a tie group
            double[] prefix = CrossCorrelation.adjustSortedPrefix(Arrays.copyOf(sorted, k), m);
            Map<Double, Double> byP = new HashMap<>();
            for (int i = 0; i < m; i++) byP.put(p[i], full[i]);
            for (int i = 0; i < k; i++)
                if (prefix[i] <= alpha || byP.get(sorted[i]) <= alpha) assertEquals(byP.get(sorted[i]), prefix[i], 1e-15, "trial " + trial);
        }
    }
}
