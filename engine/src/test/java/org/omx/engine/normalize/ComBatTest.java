package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** ComBat against sva 3.46 and its stated handling of odd designs. */
class ComBatTest {

    @TempDir
    Path dir;

    private Path samplesTable() throws Exception {
        Path t = dir.resolve("samples.tsv");
        try (var in = getClass().getResourceAsStream("/fixtures/normalize/combat_samples.tsv")) {
            Files.write(t, in.readAllBytes());
        }
        return t;
    }

    @Test
    void combat_with_and_without_covariate_matches_sva_within_1e4() throws Exception {
        Path x = Fixtures.store(dir, "x", Fixtures.read("combat_input.tsv"), "log2 intensity");
        SampleTable table = SampleTable.read(samplesTable());
        try (MatrixStore s = MatrixStore.open(x)) {
            List<String> batch = table.column("batch", s.sampleIds());
            new ComBat(batch, Map.of("group", table.column("group", s.sampleIds()))).apply(s, dir.resolve("c1.omx"), false, Fixtures.context());
            new ComBat(batch, Map.of()).apply(s, dir.resolve("c0.omx"), false, Fixtures.context(2048, new ArrayList<>()));
        }
        double d1 = Fixtures.maxAbsDiff(dir.resolve("c1.omx"), Fixtures.read("combat_group.tsv"));
        double d0 = Fixtures.maxAbsDiff(dir.resolve("c0.omx"), Fixtures.read("combat_nocov.tsv"));
        System.out.printf("ComBat max abs error vs sva: with covariate %.3g, without %.3g%n", d1, d0);
        assertTrue(d1 < 1e-4 && d0 < 1e-4, d1 + " " + d0);
    }

    @Test
    void confounded_covariate_is_an_error_and_one_sample_batch_is_mean_only() throws Exception {
        Path x = Fixtures.store(dir, "x", Fixtures.read("combat_input.tsv"), "log2 intensity");
        SampleTable table = SampleTable.read(samplesTable());
        try (MatrixStore s = MatrixStore.open(x)) {
            List<String> batch = table.column("batch", s.sampleIds());
            InputFormatException e = assertThrows(InputFormatException.class,
                    () -> new ComBat(batch, Map.of("site", batch)).apply(s, dir.resolve("bad.omx"), false, Fixtures.context()));
            assertTrue(e.getMessage().contains("confounded"), e.getMessage());
            List<String> lonely = new ArrayList<>(batch);
            lonely.set(11, "b4");
            List<String> log = new ArrayList<>();
            new ComBat(lonely, Map.of()).apply(s, dir.resolve("lonely.omx"), false, Fixtures.context(64 << 20, log));
            assertTrue(log.stream().anyMatch(l -> l.contains("b4 has one sample: mean-only")), log.toString());
        }
        try (MatrixStore out = MatrixStore.open(dir.resolve("lonely.omx"))) {
            for (long i = 0; i < out.rows(); i++) for (int j = 0; j < out.cols(); j++) assertTrue(Float.isFinite(out.get(i, j)));
        }
    }
}
