package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FactorTraitsTest {

    @TempDir
    Path dir;

    @Test
    void pearson_t_test_and_bh_match_scipy_and_a_plain_bh() throws Exception {
        double[][] f = {{0.1, 0.5, -0.3, 1.2, 0.8, -1.0, 0.3, 0.0, 0.7, -0.4}, {1.0, 0.2, 0.4, -0.5, 0.9, 0.1, -0.8, 0.6, -0.2, 0.3}};
        String[] t1 = {"1.5", "2.0", "0.9", "3.1", "2.2", "0.1", "1.4", "1.0", "2.5", "0.8"};
        String[] t2 = {"5", "NA", "4", "3", "6", "5", "2", "7", "4", "5"};
        List<String> ids = new ArrayList<>();
        StringBuilder tsv = new StringBuilder("age\tsex\tsample_id\tbmi\n");
        tsv.append("30\tF\textra\t1\n"); // a sample the factors do not have
        for (int i = 9; i >= 0; i--) tsv.append(t1[i]).append('\t').append(i % 2 == 0 ? "M" : "F").append("\ts").append(i).append('\t').append(t2[i]).append('\n');
        for (int i = 0; i < 10; i++) ids.add("s" + i);
        Path p = dir.resolve("traits.tsv");
        Files.writeString(p, tsv);
        org.omx.engine.traits.TraitTable traits = org.omx.engine.traits.TraitTable.read(p, ids);
        assertEquals(List.of("age", "bmi"), traits.names());
        assertEquals(List.of("sex"), traits.skipped());
        List<FactorTraits.Row> rows = FactorTraits.correlate(ids, List.of("F1", "F2"), f, traits);
        // scipy.stats.pearsonr on the complete pairs
        double[][] expected = {{10, 0.976492561711299, 1.2986592953646445e-06}, {9, -0.2773188819841194, 0.47001570324452774},
                {10, -0.2513769658154687, 0.48356285597581183}, {9, 0.8250277157207005, 0.006189322633667645}};
        assertEquals(4, rows.size());
        double[] ps = new double[4];
        for (int i = 0; i < 4; i++) {
            assertEquals((int) expected[i][0], rows.get(i).n());
            assertEquals(expected[i][1], rows.get(i).r(), 1e-12);
            assertEquals(expected[i][2], rows.get(i).p(), 1e-9 * expected[i][2] + 1e-15);
            ps[i] = rows.get(i).p();
        }
        // plain BH: q_i = min_{j: p_j >= p_i} p_j * m / rank_j
        for (int i = 0; i < 4; i++) {
            double q = 1;
            for (int j = 0; j < 4; j++) {
                if (ps[j] < ps[i]) continue;
                int rank = 0;
                for (double x : ps) if (x <= ps[j]) rank++;
                q = Math.min(q, ps[j] * 4 / rank);
            }
            assertEquals(q, rows.get(i).q(), 1e-15);
        }
        Path out = dir.resolve("factor-traits.tsv");
        FactorTraits.write(out, rows);
        assertEquals("factor\ttrait\tn\tr\tt\tp\tq_bh", Files.readAllLines(out).getFirst());
        assertEquals(5, Files.readAllLines(out).size());
    }
}
