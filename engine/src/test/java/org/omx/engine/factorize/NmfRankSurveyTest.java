package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class NmfRankSurveyTest {

    @TempDir
    Path dir;

    @Test
    void block_consensus_has_cophenetic_one_and_a_mixed_one_less() {
        int n = 6;
        float[] c = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i * n + j] = (i < 3) == (j < 3) ? 1f : 0f;
        assertEquals(1.0, NmfRankSurvey.cophenetic(c, n), 1e-9);
        c[0 * n + 3] = c[3 * n + 0] = 0.6f;
        c[1 * n + 2] = c[2 * n + 1] = 0.4f;
        double r = NmfRankSurvey.cophenetic(c, n);
        assertTrue(r < 1 && r > 0.5, "mixed consensus: " + r);
    }

    @Test
    void planted_three_groups_give_a_stable_rank_three() throws Exception {
        int m = 40, n = 30;
        Random rnd = new Random(3);
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) a[i][j] = (float) ((i % 3 == j % 3 ? 5 : 0) + rnd.nextDouble() * 0.5);
        try (MatrixStore s = MatrixStore.open(FactorizeFixtures.store(dir, "groups", a))) {
            List<NmfRankSurvey.Row> rows = NmfRankSurvey.survey(new StoreRows(s), new int[]{2, 3, 4}, 5,
                    new Nmf.Options(2, Nmf.Solver.HALS, Nmf.Init.RANDOM, 200, 1e-6, 1, 11), FactorizeFixtures.context());
            assertEquals(3, rows.size());
            assertTrue(rows.get(1).cophenetic() > 0.99, rows.toString());
            assertTrue(rows.get(1).bestError() < rows.get(0).bestError(), rows.toString());
            assertTrue(rows.get(2).bestError() <= rows.get(1).bestError() * 1.001, rows.toString());
        }
    }
}
