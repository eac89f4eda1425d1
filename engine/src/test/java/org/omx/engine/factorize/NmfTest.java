package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** NMF against scikit-learn on fixtures/factorize/nmf_input.tsv (same init, same iteration count). */
class NmfTest {

    @TempDir
    Path dir;

    static double[] rowMajor(double[][] t) {
        int c = t[0].length;
        double[] x = new double[t.length * c];
        for (int i = 0; i < t.length; i++) System.arraycopy(t[i], 0, x, i * c, c);
        return x;
    }

    /** The fixture's H is stored samples x k; NMF wants k x samples. */
    static double[] transposed(double[][] t) {
        int r = t.length, c = t[0].length;
        double[] x = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) x[j * r + i] = t[i][j];
        return x;
    }

    private Nmf.Result fit(Nmf.Solver solver, int iterations) throws Exception {
        Path p = FactorizeFixtures.store(dir, "nmf" + solver, FactorizeFixtures.table("nmf_input.tsv"));
        try (MatrixStore s = MatrixStore.open(p)) {
            return Nmf.fit(new StoreRows(s), new Nmf.Options(5, solver, Nmf.Init.NNDSVDA, iterations, 0, 1, 0),
                    rowMajor(FactorizeFixtures.table("nmf_nndsvda_W.tsv")), transposed(FactorizeFixtures.table("nmf_nndsvda_H.tsv")),
                    FactorizeFixtures.context(1 << 20, new ArrayList<>()));
        }
    }

    private static double sklearn(String solver) throws Exception {
        for (String line : GenotypePcaTest.lines("nmf_sklearn.tsv"))
            if (line.startsWith(solver + "\t")) return Double.parseDouble(line.split("\t")[1]);
        throw new AssertionError(solver);
    }

    private static void assertMonotone(List<Double> trace) {
        for (int i = 1; i < trace.size(); i++)
            assertTrue(trace.get(i) <= trace.get(i - 1) * (1 + 1e-9), "increase at iteration " + i + ": " + trace.get(i - 1) + " -> " + trace.get(i));
    }

    @Test
    void mu_frobenius_decreases_monotonically_and_reaches_sklearn() throws Exception {
        Nmf.Result r = fit(Nmf.Solver.MU_FROBENIUS, 200);
        assertMonotone(r.trace());
        double ref = sklearn("mu_frobenius");
        assertTrue(r.reconstructionError() <= ref * (1 + 1e-5), r.reconstructionError() + " vs sklearn " + ref);
        assertEquals(200, r.iterations());
    }

    @Test
    void mu_kl_decreases_monotonically_and_reaches_sklearn() throws Exception {
        Nmf.Result r = fit(Nmf.Solver.MU_KL, 200);
        assertMonotone(r.trace());
        double ref = sklearn("mu_kullback-leibler");
        assertTrue(r.reconstructionError() <= ref * (1 + 1e-5), r.reconstructionError() + " vs sklearn " + ref);
    }

    @Test
    void hals_reaches_sklearn_coordinate_descent() throws Exception {
        Nmf.Result r = fit(Nmf.Solver.HALS, 200);
        assertMonotone(r.trace());
        double ref = sklearn("cd_frobenius");
        assertTrue(r.reconstructionError() <= ref * (1 + 1e-5), r.reconstructionError() + " vs sklearn " + ref);
    }

    @Test
    void nndsvd_matches_sklearn_initialization() throws Exception {
        Path p = FactorizeFixtures.store(dir, "init", FactorizeFixtures.table("nmf_input.tsv"));
        try (MatrixStore s = MatrixStore.open(p)) {
            for (String init : List.of("nndsvd", "nndsvda")) {
                Nmf.Result r = Nmf.fit(new StoreRows(s), new Nmf.Options(5, Nmf.Solver.HALS, init.equals("nndsvd") ? Nmf.Init.NNDSVD : Nmf.Init.NNDSVDA,
                        1, 0, 1, 0), FactorizeFixtures.context());
                // compare the init itself: rebuild it the way fit() does
                assertNotNull(r);
            }
            Nmf.Options o = new Nmf.Options(5, Nmf.Solver.HALS, Nmf.Init.NNDSVD, 1, 0, 1, 0);
            SvdResult svd = RandomizedSvd.compute(new StoreRows(s), new RandomizedSvd.Options(5, 10, 7, RandomizedSvd.Method.SUBSPACE, false, false, 100, 0),
                    FactorizeFixtures.context());
            double[][] wh = NndSvd.initialize(svd, false, 0);
            double[] w = rowMajor(FactorizeFixtures.table("nmf_nndsvd_W.tsv"));
            double[] h = transposed(FactorizeFixtures.table("nmf_nndsvd_H.tsv"));
            for (int i = 0; i < w.length; i++) assertEquals(w[i], wh[0][i], 1e-3 * (1 + Math.abs(w[i])), "W " + i);
            for (int i = 0; i < h.length; i++) assertEquals(h[i], wh[1][i], 1e-3 * (1 + Math.abs(h[i])), "H " + i);
            assertNotNull(o);
        }
    }

    @Test
    void negative_values_are_refused() throws Exception {
        double[][] a = FactorizeFixtures.table("nmf_input.tsv");
        a[2][3] = -0.5;
        Path p = FactorizeFixtures.store(dir, "neg", a);
        try (MatrixStore s = MatrixStore.open(p)) {
            var e = assertThrows(FactorizeInputException.class, () -> Nmf.fit(new StoreRows(s),
                    new Nmf.Options(3, Nmf.Solver.MU_FROBENIUS, Nmf.Init.NNDSVDA, 10, 0, 1, 0), FactorizeFixtures.context()));
            assertTrue(e.getMessage().contains("non-negative values: feature f2 has -0.5"), e.getMessage());
        }
    }

    @Test
    void restarts_keep_the_best_and_rank_too_large_is_an_error() throws Exception {
        Path p = FactorizeFixtures.store(dir, "rs", FactorizeFixtures.table("nmf_input.tsv"));
        try (MatrixStore s = MatrixStore.open(p)) {
            List<String> log = new ArrayList<>();
            Nmf.Result r = Nmf.fit(new StoreRows(s), new Nmf.Options(5, Nmf.Solver.HALS, Nmf.Init.NNDSVDA, 50, 0, 3, 5),
                    FactorizeFixtures.context(64 << 20, log));
            assertEquals(3, log.stream().filter(l -> l.startsWith("NMF restart")).count(), log.toString());
            assertTrue(r.objective() > 0);
            assertThrows(FactorizeInputException.class, () -> Nmf.fit(new StoreRows(s),
                    new Nmf.Options(41, Nmf.Solver.HALS, Nmf.Init.NNDSVDA, 5, 0, 1, 0), FactorizeFixtures.context()));
        }
    }

    @Test
    void non_convergence_is_stated_with_the_achieved_decrease() throws Exception {
        Path p = FactorizeFixtures.store(dir, "nmfconv", FactorizeFixtures.table("nmf_input.tsv"));
        List<String> log = new ArrayList<>();
        try (MatrixStore s = MatrixStore.open(p)) {
            Nmf.Result r = Nmf.fit(new StoreRows(s), new Nmf.Options(5, Nmf.Solver.MU_FROBENIUS, Nmf.Init.NNDSVDA, 3, 1e-12, 1, 0),
                    FactorizeFixtures.context(1 << 20, log));
            assertFalse(r.converged());
            assertEquals(3, r.iterations());
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("NMF: not converged to --tolerance 1.00000e-12 in 3 iterations (last relative decrease ")),
                log.toString());
    }

    @Test
    void fused_pass_results_do_not_depend_on_scheduling() throws Exception {
        Path p = FactorizeFixtures.store(dir, "nmfdet", FactorizeFixtures.table("nmf_input.tsv"));
        try (MatrixStore s = MatrixStore.open(p)) {
            Nmf.Options o = new Nmf.Options(5, Nmf.Solver.MU_FROBENIUS, Nmf.Init.NNDSVDA, 50, 0, 1, 0);
            double first = Nmf.fit(new StoreRows(s), o, FactorizeFixtures.context(1 << 20, new ArrayList<>())).objective();
            for (int rep = 0; rep < 3; rep++)
                assertEquals(first, Nmf.fit(new StoreRows(s), o, FactorizeFixtures.context(1 << 20, new ArrayList<>())).objective(), 0.0);
        }
    }

    /**
     * The reported objective is 0.5 ||A - WH||^2 of the returned factors, recomputed here in plain double
     * loops (relative tolerance 1e-9), on a shape whose columns span more than one of the residual's
     * column chunks and end in a partial vector (531 samples), with A on the heap (64 MiB budget) and
     * streamed from the store (a budget too small for the heap copy), for both Frobenius solvers.
     */
    @Test
    void objective_is_the_exact_residual_of_the_returned_factors() throws Exception {
        java.util.Random rng = new java.util.Random(11);
        int m = 37, n = 531;
        double[][] a = new double[m][n];
        for (double[] row : a) for (int j = 0; j < n; j++) row[j] = (float) Math.abs(rng.nextGaussian() + 0.5);
        Path p = FactorizeFixtures.store(dir, "nmfres", a);
        try (MatrixStore s = MatrixStore.open(p)) {
            for (long memory : new long[]{64L << 20, 32L << 10})
                for (Nmf.Solver solver : new Nmf.Solver[]{Nmf.Solver.MU_FROBENIUS, Nmf.Solver.HALS}) {
                    Nmf.Result r = Nmf.fit(new StoreRows(s), new Nmf.Options(4, solver, Nmf.Init.NNDSVDA, 15, 0, 1, 3),
                            FactorizeFixtures.context(memory, new ArrayList<>()));
                    double ss = 0;
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            double fit = 0;
                            for (int c = 0; c < 4; c++) fit += r.w()[i * 4 + c] * r.h()[c * n + j];
                            ss += (a[i][j] - fit) * (a[i][j] - fit);
                        }
                    assertEquals(0.5 * ss, r.objective(), 1e-9 * ss, solver + " with a budget of " + memory + " bytes");
                }
        }
    }
}
