package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.store.MatrixStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Library sizes, TMM, CPM, log-CPM and DESeq2 size factors against edgeR 3.40 and DESeq2 1.38. */
class CountNormalizationTest {

    @TempDir
    Path dir;

    private static void assertVector(Map<String, Double> expected, List<String> ids, double[] actual, double tol, String what) {
        double max = 0;
        for (int j = 0; j < actual.length; j++) max = Math.max(max, Math.abs(actual[j] - expected.get(ids.get(j))));
        System.out.printf("%s: max abs error vs R %.3g%n", what, max);
        assertTrue(max <= tol, what + " max error " + max);
    }

    @Test
    void tmm_factors_match_edgeR_within_1e6() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        try (MatrixStore s = MatrixStore.open(counts)) {
            double[] lib = LibrarySize.compute(s, Fixtures.context(), "tmm");
            assertVector(Fixtures.vector("lib_size.tsv"), s.sampleIds(), lib, 0, "library sizes");
            double[] f = TmmFactors.compute(s, lib, Fixtures.context());
            assertVector(Fixtures.vector("tmm_factors.tsv"), s.sampleIds(), f, 1e-6, "TMM factors");
        }
    }

    @Test
    void tmm_is_the_same_when_samples_come_in_panels() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        try (MatrixStore s = MatrixStore.open(counts)) {
            double[] lib = LibrarySize.compute(s, Fixtures.context(), "tmm");
            // 2 KiB budget: one sample per column panel, one row per tile
            double[] f = TmmFactors.compute(s, lib, Fixtures.context(2048, new ArrayList<>()));
            assertVector(Fixtures.vector("tmm_factors.tsv"), s.sampleIds(), f, 1e-6, "TMM factors (small panels)");
        }
    }

    @Test
    void cpm_and_log_cpm_match_edgeR() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        try (MatrixStore s = MatrixStore.open(counts)) {
            new Cpm(true).apply(s, dir.resolve("cpm.omx"), false, Fixtures.context());
            new LogCpm(true, 2).apply(s, dir.resolve("logcpm.omx"), false, Fixtures.context());
            new LogCpm(false, 0.5).apply(s, dir.resolve("logcpm05.omx"), false, Fixtures.context());
        }
        double cpm = Fixtures.maxRelDiff(dir.resolve("cpm.omx"), Fixtures.read("cpm_tmm.tsv"));
        double logcpm = Fixtures.maxAbsDiff(dir.resolve("logcpm.omx"), Fixtures.read("logcpm_tmm.tsv"));
        double logcpm05 = Fixtures.maxAbsDiff(dir.resolve("logcpm05.omx"), Fixtures.read("logcpm_raw_prior0.5.tsv"));
        System.out.printf("cpm rel %.3g, logcpm abs %.3g, logcpm prior 0.5 abs %.3g%n", cpm, logcpm, logcpm05);
        assertTrue(cpm < 1e-6, "cpm " + cpm);
        assertTrue(logcpm < 1e-5, "logcpm " + logcpm);
        assertTrue(logcpm05 < 1e-5, "logcpm prior 0.5 " + logcpm05);
        try (MatrixStore out = MatrixStore.open(dir.resolve("logcpm.omx"))) {
            var step = out.meta().provenance().getLast();
            assertEquals("normalize:logcpm", step.step());
            assertEquals("TMM", step.parameters().get("normFactors"));
            assertEquals("2.0", step.parameters().get("priorCount"));
        }
    }

    @Test
    void deseq2_size_factors_match_within_1e6() throws Exception {
        Path counts = Fixtures.store(dir, "counts", "counts.tsv");
        try (MatrixStore s = MatrixStore.open(counts)) {
            double[] sf = MedianOfRatios.sizeFactors(s, Fixtures.context());
            assertVector(Fixtures.vector("deseq2_size_factors.tsv"), s.sampleIds(), sf, 1e-6, "DESeq2 size factors");
            double[] small = MedianOfRatios.sizeFactors(s, Fixtures.context(2048, new ArrayList<>()));
            assertArrayEquals(sf, small, 0);
        }
    }

    @Test
    void quantile_normalization_matches_limma_within_1e5() throws Exception {
        Path x = Fixtures.store(dir, "x", Fixtures.read("continuous.tsv"), "log2 intensity");
        try (MatrixStore s = MatrixStore.open(x)) {
            new QuantileNormalization().apply(s, dir.resolve("q.omx"), false, Fixtures.context());
            new QuantileNormalization().apply(s, dir.resolve("q2.omx"), false, Fixtures.context(2048, new ArrayList<>()));
        }
        double d = Fixtures.maxAbsDiff(dir.resolve("q.omx"), Fixtures.read("quantile_limma.tsv"));
        double d2 = Fixtures.maxAbsDiff(dir.resolve("q2.omx"), Fixtures.read("quantile_limma.tsv"));
        System.out.printf("quantile normalization max abs error vs limma %.3g (small panels %.3g)%n", d, d2);
        assertTrue(d < 1e-5 && d2 < 1e-5, d + " " + d2);
    }
}
