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

    /** Runs ComBat on a fixture input with the group covariate or none and returns the max abs difference to sva's output. */
    private double vsSva(String input, boolean group, ComBat.Options o, String expected) throws Exception {
        Path x = Fixtures.store(dir, input + expected, Fixtures.read(input), "log2 intensity");
        SampleTable table = SampleTable.read(samplesTable());
        Path out = dir.resolve(expected + ".omx");
        try (MatrixStore s = MatrixStore.open(x)) {
            Map<String, List<String>> cov = group ? Map.of("group", table.column("group", s.sampleIds())) : Map.of();
            new ComBat(table.column("batch", s.sampleIds()), cov, o).apply(s, out, false, Fixtures.context(4096, new ArrayList<>()));
        }
        double d = Fixtures.maxAbsDiff(out, Fixtures.read(expected));
        System.out.printf("ComBat %s vs sva: max abs error %.3g%n", expected, d);
        return d;
    }

    @Test
    void reference_batch_non_parametric_and_mean_only_match_sva_within_1e4() throws Exception {
        assertTrue(vsSva("combat_input.tsv", true, new ComBat.Options(true, false, "b2"), "combat_ref_b2.tsv") < 1e-4);
        assertTrue(vsSva("combat_input.tsv", true, new ComBat.Options(false, false, null), "combat_nonpar.tsv") < 1e-4);
        assertTrue(vsSva("combat_input.tsv", false, new ComBat.Options(true, true, null), "combat_meanonly.tsv") < 1e-4);
        assertTrue(vsSva("combat_input.tsv", true, new ComBat.Options(false, true, "b1"), "combat_nonpar_meanonly_ref_b1.tsv") < 1e-4);
    }

    @Test
    void missing_values_match_sva_within_1e4_and_stay_missing() throws Exception {
        assertTrue(vsSva("combat_na_input.tsv", true, ComBat.Options.DEFAULT, "combat_na.tsv") < 1e-4);
        assertTrue(vsSva("combat_na_input.tsv", true, new ComBat.Options(true, false, "b3"), "combat_na_ref_b3.tsv") < 1e-4);
        assertTrue(vsSva("combat_na_input.tsv", false, new ComBat.Options(false, false, null), "combat_na_nonpar.tsv") < 1e-4);
    }

    @Test
    void a_feature_missing_in_a_whole_batch_is_an_error_naming_it() throws Exception {
        Fixtures.Table t = Fixtures.read("combat_input.tsv");
        for (int j = 0; j < 4; j++) t.values()[3][j] = Double.NaN;   // batch b1 = S01-S04
        Path x = Fixtures.store(dir, "holes", t, "log2 intensity");
        SampleTable table = SampleTable.read(samplesTable());
        try (MatrixStore s = MatrixStore.open(x)) {
            InputFormatException e = assertThrows(InputFormatException.class, () -> new ComBat(table.column("batch", s.sampleIds()), Map.of())
                    .apply(s, dir.resolve("o.omx"), false, Fixtures.context()));
            assertTrue(e.getMessage().contains("feature " + t.rows().get(3) + " has 0 observed values in batch b1"), e.getMessage());
        }
    }
}
