package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Randomized SVD / PCA against an exact one-sided Jacobi SVD in double. */
class RandomizedSvdTest {

    @TempDir
    Path dir;

    private SvdResult run(double[][] a, RandomizedSvd.Options o, long memory, List<String> log) throws Exception {
        Path p = FactorizeFixtures.store(dir, "a" + System.nanoTime(), a);
        try (MatrixStore s = MatrixStore.open(p)) {
            return RandomizedSvd.compute(new StoreRows(s), o, FactorizeFixtures.context(memory, log));
        }
    }

    private static void assertAgrees(ExactSvd exact, SvdResult r, int k, double tol) {
        for (int j = 0; j < k; j++)
            assertEquals(exact.s[j], r.sigma()[j], tol * exact.s[j], "singular value " + j);
        // principal angles on both sides: cos(largest) >= 1 - 1e-6
        assertTrue(ExactSvd.cosLargestAngle(exact.u, r.u(), k) > 1 - 1e-6, "feature-side subspace");
        assertTrue(ExactSvd.cosLargestAngle(exact.v, r.v(), k) > 1 - 1e-6, "sample-side subspace");
    }

    @Test
    void subspace_iteration_matches_exact_svd_of_centered_data_across_tiles() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(300, 60, 8, 0.75, 0.05, 1);
        List<String> log = new ArrayList<>();
        // 1 MiB budget: several tiles of 64 rows, so the per-tile centering corrections are exercised
        SvdResult r = run(a, new RandomizedSvd.Options(6, 10, 4, RandomizedSvd.Method.SUBSPACE, true, false, 100, 7), 1 << 20, log);
        ExactSvd exact = new ExactSvd(FactorizeFixtures.centered(a, false));
        assertAgrees(exact, r, 6, 1e-4);
        assertEquals(6, r.passes());
        assertTrue(log.stream().anyMatch(l -> l.contains("6 passes")), log.toString());
        // proportion of variance explained: sigma^2 over the total sum of squares of the centered matrix
        double total = 0;
        for (double s : exact.s) total += s * s;
        assertEquals(exact.s[0] * exact.s[0] / total, r.proportionExplained()[0], 1e-5);
    }

    @Test
    void block_krylov_at_few_passes_beats_subspace_iteration() throws Exception {
        // a slowly decaying spectrum, where two passes of subspace iteration are not enough
        double[][] a = FactorizeFixtures.lowRank(200, 80, 30, 0.93, 0.2, 2);
        ExactSvd exact = new ExactSvd(FactorizeFixtures.centered(a, false));
        SvdResult krylov = run(a, new RandomizedSvd.Options(5, 5, 3, RandomizedSvd.Method.BLOCK_KRYLOV, true, false, 100, 3), 64 << 20, new ArrayList<>());
        SvdResult subspace = run(a, new RandomizedSvd.Options(5, 5, 3, RandomizedSvd.Method.SUBSPACE, true, false, 100, 3), 64 << 20, new ArrayList<>());
        double errK = 0, errS = 0;
        for (int j = 0; j < 5; j++) {
            errK = Math.max(errK, Math.abs(krylov.sigma()[j] - exact.s[j]) / exact.s[j]);
            errS = Math.max(errS, Math.abs(subspace.sigma()[j] - exact.s[j]) / exact.s[j]);
        }
        assertTrue(errK <= errS, "krylov " + errK + " subspace " + errS);
        assertTrue(errK < 1e-4, "krylov error " + errK);
        assertEquals(subspace.passes(), krylov.passes());
    }

    @Test
    void centered_and_scaled_is_the_correlation_pca() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(150, 50, 6, 0.7, 0.05, 3);
        // one constant feature: weight 0 under scaling, stated in the log
        for (int j = 0; j < 50; j++) a[7][j] = 3;
        List<String> log = new ArrayList<>();
        SvdResult r = run(a, new RandomizedSvd.Options(4, 10, 5, RandomizedSvd.Method.SUBSPACE, true, true, 100, 1), 64 << 20, log);
        assertAgrees(new ExactSvd(FactorizeFixtures.centered(a, true)), r, 4, 1e-4);
        assertTrue(log.stream().anyMatch(l -> l.contains("1 constant features")), log.toString());
    }

    @Test
    void uncentered_svd_matches_exact_svd() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(120, 40, 5, 0.6, 0.01, 4);
        SvdResult r = run(a, new RandomizedSvd.Options(3, 8, 4, RandomizedSvd.Method.SUBSPACE, false, false, 100, 1), 64 << 20, new ArrayList<>());
        assertAgrees(new ExactSvd(a), r, 3, 1e-5);
    }

    @Test
    void steep_spectrum_takes_the_householder_path_and_stays_accurate() throws Exception {
        // s_5 / s_1 = 1e-4: (s_k / s_1)^2 is below RandomizedSvd.GRAM_CONDITION, so B's SVD goes through its QR
        double[][] a = FactorizeFixtures.lowRank(200, 60, 6, 0.1, 1e-7, 8);
        SvdResult r = run(a, new RandomizedSvd.Options(5, 10, 4, RandomizedSvd.Method.SUBSPACE, true, false, 100, 1), 64 << 20, new ArrayList<>());
        ExactSvd exact = new ExactSvd(FactorizeFixtures.centered(a, false));
        assertTrue(exact.s[4] * exact.s[4] < RandomizedSvd.GRAM_CONDITION * exact.s[0] * exact.s[0], "test data not steep enough");
        assertAgrees(exact, r, 5, 1e-4);
    }

    @Test
    void max_passes_bounds_the_power_iterations() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(100, 30, 5, 0.6, 0.01, 5);
        List<String> log = new ArrayList<>();
        SvdResult r = run(a, new RandomizedSvd.Options(3, 5, 10, RandomizedSvd.Method.SUBSPACE, true, false, 4, 1), 64 << 20, log);
        assertEquals(4, r.passes());
        assertTrue(log.stream().anyMatch(l -> l.contains("--max-passes 4 allows 2 power iterations")), log.toString());
    }

    @Test
    void rank_larger_than_the_data_allows_is_an_error() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(50, 10, 3, 0.6, 0.01, 6);
        var e = assertThrows(FactorizeInputException.class,
                () -> run(a, new RandomizedSvd.Options(10, 5, 2, RandomizedSvd.Method.SUBSPACE, true, false, 100, 1), 64 << 20, new ArrayList<>()));
        assertTrue(e.getMessage().contains("at most 9 components"), e.getMessage());
    }

    @Test
    void missing_values_are_refused() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(50, 10, 3, 0.6, 0.01, 6);
        a[3][4] = Double.NaN;
        var e = assertThrows(FactorizeInputException.class,
                () -> run(a, RandomizedSvd.Options.pca(2), 64 << 20, new ArrayList<>()));
        assertTrue(e.getMessage().contains("feature f3 has 1 missing"), e.getMessage());
    }

    @Test
    void progress_runs_once_over_all_passes_and_never_goes_back() throws Exception {
        double[][] a = FactorizeFixtures.lowRank(300, 60, 8, 0.75, 0.05, 1);
        Path p = FactorizeFixtures.store(dir, "progress", a);
        List<long[]> updates = new ArrayList<>();
        RandomizedSvd.Options o = new RandomizedSvd.Options(6, 10, 4, RandomizedSvd.Method.SUBSPACE, true, false, 100, 7);
        SvdResult r;
        try (MatrixStore s = MatrixStore.open(p)) {
            r = RandomizedSvd.compute(new StoreRows(s),
                    o, new FactorizeContext(FactorizeFixtures.context().backend(), 1 << 20, (d, t) -> updates.add(new long[]{d, t}), x -> { }));
        }
        long total = (long) RandomizedSvd.plannedPasses(o) * 300;
        assertEquals(r.passes(), RandomizedSvd.plannedPasses(o), "passes as planned");
        assertTrue(updates.size() >= r.passes(), "at least one update per pass");
        long last = -1;
        for (long[] u : updates) {
            assertEquals(total, u[1], "one total for the whole run: rows x planned passes");
            assertTrue(u[0] >= last, "progress never goes back (" + u[0] + " after " + last + ")");
            last = u[0];
        }
        assertEquals(total, last, "ends at 100 %");
    }
}
