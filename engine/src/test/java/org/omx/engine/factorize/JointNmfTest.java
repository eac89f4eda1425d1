package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class JointNmfTest {

    @TempDir
    Path dir;

    /** In-memory layers of the given matrices (features x samples), features f0.., samples s0... */
    private static JointNmfData data(List<double[][]> layers) {
        int n = layers.getFirst()[0].length;
        List<String> samples = new ArrayList<>();
        for (int j = 0; j < n; j++) samples.add("s" + j);
        List<List<String>> features = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            double[][] a = layers.get(l);
            List<String> f = new ArrayList<>();
            for (int i = 0; i < a.length; i++) f.add("f" + i);
            features.add(f);
            x.add(flat(a));
            names.add("L" + l);
        }
        return new JointNmfData(names, features, samples, x);
    }

    private static double[] flat(double[][] a) {
        int n = a[0].length;
        double[] x = new double[a.length * n];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, x, i * n, n);
        return x;
    }

    private static double[][] matrix(double[] x, int m, int n) {
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) System.arraycopy(x, i * n, a[i], 0, n);
        return a;
    }

    private static double[][] abs(int m, int n, Random r, double scale) {
        double[][] a = new double[m][n];
        for (double[] row : a) for (int j = 0; j < n; j++) row[j] = scale * Math.abs(r.nextGaussian());
        return a;
    }

    /** Non-negative rank-r data plus non-negative noise, scaled. */
    private static double[][] planted(double[][] w, double[][] h, double noise, double scale, Random r) {
        double[][] x = mul(w, h);
        for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = scale * (row[j] + noise * Math.abs(r.nextGaussian()));
        return x;
    }

    // ---- plain double reference of the same updates ----

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int p = 0; p < b.length; p++)
                for (int j = 0; j < b[0].length; j++) c[i][j] += a[i][p] * b[p][j];
        return c;
    }

    private static double[][] t(double[][] a) {
        double[][] c = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[j][i] = a[i][j];
        return c;
    }

    private static double guard(double d) {
        return d == 0 ? JointNmf.EPSILON : d;
    }

    /** Runs the stated updates literally: W_l <- W_l * (X_l H^T) / (W_l H H^T), then H with the lambda-weighted sums. */
    private static void referenceIterations(List<double[][]> x, double[] lambda, List<double[][]> w, double[][] h, int iterations) {
        for (int it = 0; it < iterations; it++) {
            for (int l = 0; l < x.size(); l++) {
                double[][] num = mul(x.get(l), t(h));
                double[][] den = mul(w.get(l), mul(h, t(h)));
                double[][] wl = w.get(l);
                for (int i = 0; i < wl.length; i++) for (int a = 0; a < wl[0].length; a++) wl[i][a] *= num[i][a] / guard(den[i][a]);
            }
            double[][] num = new double[h.length][h[0].length];
            double[][] gram = new double[h.length][h.length];
            for (int l = 0; l < x.size(); l++) {
                double[][] wtx = mul(t(w.get(l)), x.get(l));
                double[][] wtw = mul(t(w.get(l)), w.get(l));
                for (int a = 0; a < h.length; a++) {
                    for (int j = 0; j < h[0].length; j++) num[a][j] += lambda[l] * wtx[a][j];
                    for (int b = 0; b < h.length; b++) gram[a][b] += lambda[l] * wtw[a][b];
                }
            }
            double[][] den = mul(gram, h);
            for (int a = 0; a < h.length; a++) for (int j = 0; j < h[0].length; j++) h[a][j] *= num[a][j] / guard(den[a][j]);
        }
    }

    private static double frobenius2(double[][] a) {
        double s = 0;
        for (double[] r : a) for (double v : r) s += v * v;
        return s;
    }

    private static void assertClose(double[][] expected, double[] actual, double relTol, String what) {
        double max = 0, diff = 0;
        int n = expected[0].length;
        for (int i = 0; i < expected.length; i++)
            for (int j = 0; j < n; j++) {
                max = Math.max(max, Math.abs(expected[i][j]));
                diff = Math.max(diff, Math.abs(expected[i][j] - actual[i * n + j]));
            }
        assertTrue(diff <= relTol * max, what + ": max difference " + diff + " vs max entry " + max);
    }

    @Test
    void matches_a_plain_double_implementation_of_the_same_updates_from_the_same_start() {
        Random r = new Random(11);
        int n = 25, k = 3;
        for (JointNmf.LayerWeight weight : JointNmf.LayerWeight.values()) {
            List<double[][]> x = List.of(abs(30, n, r, 1), abs(12, n, r, 50), abs(20, n, r, 0.01));
            JointNmfData d = data(x);
            List<double[]> w0 = new ArrayList<>();
            List<double[][]> wRef = new ArrayList<>();
            double[] lambda = new double[x.size()];
            for (int l = 0; l < x.size(); l++) {
                double[][] w = abs(x.get(l).length, k, r, 1);
                w0.add(flat(w));
                wRef.add(w);
                lambda[l] = weight == JointNmf.LayerWeight.FROBENIUS ? 1 / frobenius2(x.get(l)) : 1;
            }
            double[][] hRef = abs(k, n, r, 1);
            int iterations = 60;
            JointNmf.Result res = JointNmf.fit(d, new JointNmf.Options(k, iterations, 0, 1, 1, weight, JointNmf.Init.RANDOM), w0, flat(hRef),
                    FactorizeFixtures.context());
            referenceIterations(x, lambda, wRef, hRef, iterations);
            assertEquals(iterations, res.iterations());
            // same operations in a different summation order: agreement to rounding, 1e-9 of the largest entry
            assertClose(hRef, res.h(), 1e-9, weight + " H");
            double objective = 0;
            for (int l = 0; l < x.size(); l++) {
                assertClose(wRef.get(l), res.w().get(l), 1e-9, weight + " W" + l);
                double[][] resid = mul(wRef.get(l), hRef);
                for (int i = 0; i < resid.length; i++) for (int j = 0; j < n; j++) resid[i][j] = x.get(l)[i][j] - resid[i][j];
                objective += 0.5 * lambda[l] * frobenius2(resid);
            }
            assertEquals(objective, res.objective(), 1e-9 * objective);
            assertArrayEquals(lambda, res.lambda(), 1e-15);
        }
    }

    @Test
    void the_objective_never_increases() {
        Random r = new Random(3);
        for (JointNmf.LayerWeight weight : JointNmf.LayerWeight.values()) {
            List<double[][]> x = List.of(abs(40, 30, r, 1), abs(15, 30, r, 1000));
            JointNmf.Result res = JointNmf.fit(data(x), new JointNmf.Options(4, 150, 0, 1, 5, weight, JointNmf.Init.RANDOM), FactorizeFixtures.context());
            List<Double> tr = res.trace();
            assertEquals(150, tr.size());
            for (int i = 1; i < tr.size(); i++)
                assertTrue(tr.get(i) <= tr.get(i - 1) * (1 + 1e-12), weight + " iteration " + i + ": " + tr.get(i - 1) + " -> " + tr.get(i));
            assertTrue(tr.getLast() < 0.9 * tr.getFirst(), tr.getFirst() + " -> " + tr.getLast());
            // the cheap Gram-identity trace agrees with the objective summed over residuals
            assertEquals(res.objective(), tr.getLast(), 1e-8 * tr.getFirst());
        }
    }

    /** Best matching of true to fitted factors (all permutations of k = 3) by Pearson correlation of the sample scores. */
    private static double[] matchedCorrelations(double[][] truth, double[] h, int n) {
        int k = truth.length;
        double[][] c = new double[k][k];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) c[a][b] = FactorizeFixtures.correlation(truth[a], java.util.Arrays.copyOfRange(h, b * n, (b + 1) * n));
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        double best = -9;
        double[] out = null;
        for (int[] p : perms) {
            double s = 0;
            for (int a = 0; a < k; a++) s += c[a][p[a]];
            if (s > best) {
                best = s;
                out = new double[]{c[0][p[0]], c[1][p[1]], c[2][p[2]]};
            }
        }
        return out;
    }

    @Test
    void recovers_planted_shared_sample_factors_across_three_layers_of_different_scales() {
        Random r = new Random(2026);
        int n = 60, k = 3;
        // sparse-ish shared factors: each sample mostly driven by one or two programs
        double[][] h = new double[k][n];
        for (int a = 0; a < k; a++) for (int j = 0; j < n; j++) h[a][j] = r.nextDouble() < 0.4 ? 0.1 * r.nextDouble() : 1 + 2 * r.nextDouble();
        List<double[][]> x = List.of(planted(abs(50, k, r, 1), h, 0.05, 1, r), planted(abs(20, k, r, 1), h, 0.05, 1000, r),
                planted(abs(35, k, r, 1), h, 0.05, 0.001, r));
        JointNmfData d = data(x);
        JointNmf.Result res = JointNmf.fit(d, new JointNmf.Options(k, 1000, 1e-7, 3, 17, JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM),
                FactorizeFixtures.context());
        double[] corr = matchedCorrelations(h, res.h(), n);
        System.out.println("joint NMF planted-factor recovery: correlations " + java.util.Arrays.toString(corr) + ", iterations " + res.iterations());
        for (double c : corr) assertTrue(c > 0.95, java.util.Arrays.toString(corr));
        JointNmfVariance ve = JointNmfVariance.of(d, res);
        System.out.println("joint NMF planted: R^2 per layer " + java.util.Arrays.toString(ve.total()));
        for (double t : ve.total()) assertTrue(t > 0.99, java.util.Arrays.toString(ve.total()));
    }

    @Test
    void frobenius_weighting_makes_the_fit_invariant_to_a_layer_scale() {
        Random r = new Random(8);
        double[][] a = abs(20, 24, r, 1), b = abs(10, 24, r, 1);
        double[][] b1000 = new double[b.length][];
        for (int i = 0; i < b.length; i++) {
            b1000[i] = b[i].clone();
            for (int j = 0; j < 24; j++) b1000[i][j] *= 1000;
        }
        JointNmf.Options o = new JointNmf.Options(3, 80, 0, 1, 9, JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM);
        JointNmf.Result plain = JointNmf.fit(data(List.of(a, b)), o, FactorizeFixtures.context());
        JointNmf.Result scaled = JointNmf.fit(data(List.of(a, b1000)), o, FactorizeFixtures.context());
        assertClose(matrix(plain.h(), 3, 24), scaled.h(), 1e-9, "H");
        double[] w = plain.w().get(1).clone();
        for (int i = 0; i < w.length; i++) w[i] *= 1000;
        assertClose(matrix(w, 10, 3), scaled.w().get(1), 1e-9, "W of the scaled layer");
        // without weighting the big layer takes over: H differs
        JointNmf.Options none = new JointNmf.Options(3, 80, 0, 1, 9, JointNmf.LayerWeight.NONE, JointNmf.Init.RANDOM);
        JointNmf.Result n1 = JointNmf.fit(data(List.of(a, b)), none, FactorizeFixtures.context());
        JointNmf.Result n2 = JointNmf.fit(data(List.of(a, b1000)), none, FactorizeFixtures.context());
        assertThrows(AssertionError.class, () -> assertClose(matrix(n1.h(), 3, 24), n2.h(), 1e-3, "H"));
    }

    @Test
    void variance_explained_is_the_r2_of_each_factor_alone_and_of_all_factors() {
        Random r = new Random(4);
        List<double[][]> x = List.of(abs(18, 20, r, 1), abs(9, 20, r, 7));
        JointNmfData d = data(x);
        int k = 3;
        JointNmf.Result res = JointNmf.fit(d, new JointNmf.Options(k, 50, 0, 2, 3, JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM), FactorizeFixtures.context());
        JointNmfVariance ve = JointNmfVariance.of(d, res);
        for (int l = 0; l < 2; l++) {
            double[][] xl = x.get(l), w = matrix(res.w().get(l), xl.length, k), h = matrix(res.h(), k, 20);
            double ss = frobenius2(xl);
            for (int a = 0; a < k; a++) {
                double resid = 0;
                for (int i = 0; i < xl.length; i++)
                    for (int j = 0; j < 20; j++) resid += Math.pow(xl[i][j] - w[i][a] * h[a][j], 2);
                assertEquals(1 - resid / ss, ve.perFactor()[a][l], 1e-12, "factor " + a + " layer " + l);
            }
            double[][] wh = mul(w, h);
            double resid = 0;
            for (int i = 0; i < xl.length; i++) for (int j = 0; j < 20; j++) resid += Math.pow(xl[i][j] - wh[i][j], 2);
            assertEquals(1 - resid / ss, ve.total()[l], 1e-12);
        }
    }

    @Test
    void restarts_keep_the_best_objective() {
        Random r = new Random(5);
        JointNmfData d = data(List.of(abs(15, 20, r, 1), abs(8, 20, r, 1)));
        double best = Double.POSITIVE_INFINITY;
        for (int s = 0; s < 3; s++)
            best = Math.min(best, JointNmf.fit(d, new JointNmf.Options(3, 30, 0, 1, 100 + s, JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM),
                    FactorizeFixtures.context()).objective());
        JointNmf.Result three = JointNmf.fit(d, new JointNmf.Options(3, 30, 0, 3, 100, JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM), FactorizeFixtures.context());
        assertEquals(best, three.objective(), 0);
    }

    @Test
    void with_frobenius_weights_and_nndsvda_it_is_plain_nmf_of_the_stacked_weighted_layers() throws Exception {
        // joint NMF with weights lambda_l is NMF of [sqrt(lambda_1) X_1; sqrt(lambda_2) X_2] with W'_l = sqrt(lambda_l) W_l,
        // so Nmf (MU Frobenius, NNDSVDa, float32 GEMM accumulation) on that stack is an independent check of init and updates
        Random r = new Random(21);
        int n = 30, k = 3;
        double[][] h = abs(k, n, r, 1);
        List<double[][]> x = List.of(planted(abs(25, k, r, 1), h, 0.2, 1, r), planted(abs(15, k, r, 1), h, 0.2, 300, r));
        for (double[][] a : x) for (double[] row : a) for (int j = 0; j < n; j++) row[j] = (float) row[j];
        JointNmfData d = data(x);
        int iterations = 25;
        JointNmf.Result joint = JointNmf.fit(d, new JointNmf.Options(k, iterations, 0, 1, 4, JointNmf.LayerWeight.FROBENIUS,
                JointNmf.Init.NNDSVDA), FactorizeFixtures.context());
        double[][] stack = new double[40][];
        double[] root = new double[2];
        for (int l = 0; l < 2; l++) root[l] = Math.sqrt(joint.lambda()[l]);
        for (int i = 0; i < 40; i++) {
            int l = i < 25 ? 0 : 1;
            double[] src = x.get(l)[l == 0 ? i : i - 25];
            stack[i] = new double[n];
            for (int j = 0; j < n; j++) stack[i][j] = (float) (root[l] * src[j]);
        }
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "stack", stack))) {
            Nmf.Result plain = Nmf.fit(new StoreRows(s), new Nmf.Options(k, Nmf.Solver.MU_FROBENIUS, Nmf.Init.NNDSVDA, iterations, 0, 1, 4),
                    FactorizeFixtures.context());
            // float32 data and GEMMs on the Nmf side: agreement to 1e-3 of the largest entry
            assertClose(matrix(plain.h(), k, n), joint.h(), 1e-3, "H");
            double[][] w = matrix(plain.w(), 40, k);
            for (int l = 0; l < 2; l++) {
                double[][] wl = new double[l == 0 ? 25 : 15][];
                for (int i = 0; i < wl.length; i++) {
                    wl[i] = w[i + (l == 0 ? 0 : 25)].clone();
                    for (int a = 0; a < k; a++) wl[i][a] /= root[l];
                }
                assertClose(wl, joint.w().get(l), 1e-3, "W" + l);
            }
            assertEquals(plain.objective(), joint.objective(), 1e-3 * plain.objective());
        }
    }

    // ---- bad input, from stores ----

    private List<Mfa.Layer> layers(List<double[][]> data, List<List<String>> samples) throws Exception {
        List<Mfa.Layer> out = new ArrayList<>();
        for (int l = 0; l < data.size(); l++)
            out.add(new Mfa.Layer("L" + l, MatrixStore.open(FactorizeFixtures.store(dir, "L" + l + "_" + System.nanoTime(), data.get(l), samples.get(l)))));
        return out;
    }

    private static List<String> ids(String prefix, int n) {
        List<String> s = new ArrayList<>();
        for (int j = 0; j < n; j++) s.add(prefix + j);
        return s;
    }

    @Test
    void loads_layers_on_their_common_samples_in_the_first_layers_order() throws Exception {
        Random r = new Random(1);
        double[][] a = abs(4, 6, r, 1), b = abs(3, 5, r, 1);
        List<String> sa = ids("s", 6), sb = List.of("s5", "x", "s3", "s1", "s0");
        List<Mfa.Layer> ls = layers(List.of(a, b), List.of(sa, sb));
        JointNmfData d = JointNmfData.load(ls, 64L << 20);
        assertEquals(List.of("s0", "s1", "s3", "s5"), d.sampleIds());
        assertEquals((float) b[2][3], d.x().get(1)[2 * 4 + 1], 0); // feature 2, sample s1 (store column 3)
        assertEquals((float) a[1][5], d.x().get(0)[4 + 3], 0);
        for (Mfa.Layer l : ls) l.store().close();
    }

    @Test
    void refuses_bad_input_with_messages_naming_what_is_wrong() throws Exception {
        Random r = new Random(2);
        double[][] a = abs(4, 6, r, 1), b = abs(3, 6, r, 1);
        List<Mfa.Layer> disjoint = layers(List.of(a, b), List.of(ids("s", 6), ids("t", 6)));
        var e = assertThrows(FactorizeInputException.class, () -> JointNmfData.load(disjoint, 64L << 20));
        assertTrue(e.getMessage().contains("layer L1 has no samples in common with layer L0"), e.getMessage());

        double[][] neg = abs(3, 6, r, 1);
        neg[2][4] = -0.5;
        List<Mfa.Layer> negative = layers(List.of(a, neg), List.of(ids("s", 6), ids("s", 6)));
        e = assertThrows(FactorizeInputException.class, () -> JointNmfData.load(negative, 64L << 20));
        assertTrue(e.getMessage().startsWith("layer L1, feature f2, sample s4: negative value -0.5"), e.getMessage());

        double[][] nan = abs(3, 6, r, 1);
        nan[0][1] = Double.NaN;
        List<Mfa.Layer> missing = layers(List.of(nan, a), List.of(ids("s", 6), ids("s", 6)));
        e = assertThrows(FactorizeInputException.class, () -> JointNmfData.load(missing, 64L << 20));
        assertTrue(e.getMessage().startsWith("layer L0, feature f0, sample s1: missing value"), e.getMessage());

        List<Mfa.Layer> one = layers(List.<double[][]>of(a), List.of(ids("s", 6)));
        e = assertThrows(FactorizeInputException.class, () -> JointNmfData.load(one, 64L << 20));
        assertTrue(e.getMessage().contains("at least 2 layers"), e.getMessage());

        List<Mfa.Layer> ok = layers(List.of(a, b), List.of(ids("s", 6), ids("s", 6)));
        e = assertThrows(FactorizeInputException.class, () -> JointNmfData.load(ok, 100));
        assertTrue(e.getMessage().contains("more than half of --memory"), e.getMessage());
        JointNmfData d = JointNmfData.load(ok, 64L << 20);
        e = assertThrows(FactorizeInputException.class, () -> JointNmf.fit(d, new JointNmf.Options(7, 10, 0, 1, 1,
                JointNmf.LayerWeight.FROBENIUS, JointNmf.Init.RANDOM), FactorizeFixtures.context()));
        assertEquals("rank 7 is larger than the data allows: 7 features over 2 layers x 6 common samples (at most 6)", e.getMessage());
        e = assertThrows(FactorizeInputException.class, () -> new JointNmf.Options(0, 10, 0, 1, 1, JointNmf.LayerWeight.NONE, JointNmf.Init.RANDOM));
        assertTrue(e.getMessage().contains("rank (-k) must be at least 1"));
        for (List<Mfa.Layer> ls : List.of(disjoint, negative, missing, one, ok)) for (Mfa.Layer l : ls) l.store().close();
    }
}
