package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** voom log-CPM and precision weights against limma 3.54 (fixtures voom_*.tsv). */
class VoomTest {

    @TempDir
    Path dir;

    @Test
    void voom_matches_limma_intercept_only() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        Path out = dir.resolve("voom.omx");
        List<String> log = new ArrayList<>();
        Voom.Result r;
        try (MatrixStore s = MatrixStore.open(counts)) {
            r = new Voom(true).run(s, out, false, Fixtures.context(64L << 20, log));
        }
        assertEquals(dir.resolve("voom.weights.omx"), r.weightsPath());
        double e = Fixtures.maxAbsDiff(out, Fixtures.read("voom_E.tsv"));
        double w = Fixtures.maxRelDiff(r.weightsPath(), Fixtures.read("voom_weights.tsv"));
        System.out.printf("voom E max abs error %.3g, weights max rel error %.3g%n", e, w);
        assertTrue(e < 1e-5, "E " + e);
        assertTrue(w < 1e-5, "weights " + w);
        assertTrue(log.stream().anyMatch(l -> l.contains("1 all-zero genes")), log.toString());
        try (MatrixStore ws = MatrixStore.open(r.weightsPath())) {
            assertEquals("voom precision weights", ws.meta().units());
            assertEquals("normalize:voom", ws.meta().provenance().getLast().step());
        }
    }

    @Test
    void voom_matches_limma_with_groups_and_small_tiles() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        List<String> groups = new ArrayList<>();
        for (int j = 0; j < 12; j++) groups.add(j % 2 == 0 ? "A" : "B");
        Path wOut = dir.resolve("w.omx");
        try (MatrixStore s = MatrixStore.open(counts)) {
            // 2 KiB budget: one row per tile
            new Voom(true, groups, "group", wOut).apply(s, dir.resolve("e.omx"), false, Fixtures.context(2048, new ArrayList<>()));
        }
        double e = Fixtures.maxAbsDiff(dir.resolve("e.omx"), Fixtures.read("voom_E.tsv"));
        double w = Fixtures.maxRelDiff(wOut, Fixtures.read("voom_group_weights.tsv"));
        System.out.printf("voom ~group: E max abs error %.3g, weights max rel error %.3g%n", e, w);
        assertTrue(e < 1e-5 && w < 1e-5, e + " " + w);
        assertFalse(Files.exists(dir.resolve("e.weights.omx")));
    }

    @Test
    void one_sample_per_group_gives_unit_weights_and_says_so() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        List<String> groups = new ArrayList<>();
        for (int j = 0; j < 12; j++) groups.add("g" + j);
        List<String> log = new ArrayList<>();
        Voom.Result r;
        try (MatrixStore s = MatrixStore.open(counts)) {
            r = new Voom(false, groups, "id", null).run(s, dir.resolve("v.omx"), false, Fixtures.context(64L << 20, log));
        }
        try (MatrixStore ws = MatrixStore.open(r.weightsPath())) {
            for (int i = 0; i < ws.rows(); i++) for (int j = 0; j < ws.cols(); j++) assertEquals(1f, ws.get(i, j));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("no residual degrees of freedom")), log.toString());
    }

    @Test
    void lowess_matches_r_on_a_small_example() {
        // R 4.2: lowess(c(1,2,3,4,5,6,7,8,9,10), c(2,4,3,7,5,9,8,12,10,30), f = 0.5)$y
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] y = {2, 4, 3, 7, 5, 9, 8, 12, 10, 30};
        Lowess.Curve c = Lowess.fit(x, y, 0.5, 3);
        double[] expected = LOWESS_EXPECTED;
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], c.y()[i], 1e-12, "at " + i);
    }

    @Test
    void interpolation_collapses_ties_and_clamps() {
        LinearInterpolation f = new LinearInterpolation(new double[] {0, 1, 1, 2}, new double[] {0, 1, 3, 4});
        assertEquals(0, f.at(-5));
        assertEquals(4, f.at(7));
        assertEquals(2, f.at(1));
        assertEquals(1, f.at(0.5), 1e-15);
        assertEquals(3, f.at(1.5), 1e-15);
    }

    static final double[] LOWESS_EXPECTED = {2.2062932437607556, 3.2379799619410545, 4.4358095662387562, 5.2726921713617516,
            6.7276992380581042, 7.577273571589644, 9.4493910904796827, 12.000000000000014, 21.47885691756732, 29.724371892853139};
}
