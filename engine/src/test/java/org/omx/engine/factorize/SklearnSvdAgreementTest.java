package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** Against scikit-learn's randomized_svd and PCA on fixtures/factorize/svd_input.tsv (README.md gives the calls). */
class SklearnSvdAgreementTest {

    @TempDir
    Path dir;

    private SvdResult run(boolean center) throws Exception {
        double[][] a = FactorizeFixtures.table("svd_input.tsv");
        Path p = FactorizeFixtures.store(dir, "svd", a);
        try (MatrixStore s = MatrixStore.open(p)) {
            return RandomizedSvd.compute(new StoreRows(s),
                    new RandomizedSvd.Options(5, 10, 7, RandomizedSvd.Method.SUBSPACE, center, false, 100, 11),
                    FactorizeFixtures.context(64 << 20, new ArrayList<>()));
        }
    }

    private static double[][] columns(double[][] t) {
        double[][] c = new double[t[0].length][];
        for (int j = 0; j < c.length; j++) c[j] = FactorizeFixtures.column(t, j);
        return c;
    }

    @Test
    void randomized_svd_matches_sklearn() throws Exception {
        SvdResult r = run(false);
        double[] sigma = FactorizeFixtures.column(FactorizeFixtures.table("svd_singular_values.tsv"), 0);
        for (int j = 0; j < 5; j++) assertEquals(sigma[j], r.sigma()[j], 1e-4 * sigma[j], "sigma " + j);
        assertTrue(ExactSvd.cosLargestAngle(columns(FactorizeFixtures.table("svd_u.tsv")), r.u(), 5) > 1 - 1e-6);
        assertTrue(ExactSvd.cosLargestAngle(columns(FactorizeFixtures.table("svd_v.tsv")), r.v(), 5) > 1 - 1e-6);
    }

    @Test
    void pca_matches_sklearn_explained_variance_and_components() throws Exception {
        SvdResult r = run(true);
        double[][] var = FactorizeFixtures.table("pca_variance.tsv");
        int n = r.colIds().size();
        double[] eig = r.eigenvalues(n - 1);
        double[] ratio = r.proportionExplained();
        for (int j = 0; j < 5; j++) {
            assertEquals(var[j][0], r.sigma()[j], 1e-4 * var[j][0], "singular value " + j);
            assertEquals(var[j][1], eig[j], 1e-4 * var[j][1], "explained variance " + j);
            assertEquals(var[j][2], ratio[j], 1e-4 * var[j][2], "explained variance ratio " + j);
        }
        double[][] comp = columns(FactorizeFixtures.table("pca_components.tsv"));
        for (int j = 0; j < 5; j++)
            assertEquals(1, Math.abs(ExactSvd.dot(comp[j], r.u()[j])), 1e-6, "component " + j + " up to sign");
    }
}
