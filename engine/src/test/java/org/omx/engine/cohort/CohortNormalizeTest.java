package org.omx.engine.cohort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.LowCountFilter;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.Backends;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Per-layer recipes from a manifest: same result as the steps run by hand, provenance, and errors that name the step. */
class CohortNormalizeTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private static final org.omx.kernels.api.Backend BACKEND = Backends.open("cpu", 2, s -> { });

    private NormalizeContext ctx() {
        return new NormalizeContext(BACKEND, 1 << 20, Progress.NONE, log::add, 2);
    }

    /** Counts, 40 features x 8 samples; features F0-F4 almost empty (dropped by the low-count filter). */
    private Path counts(String name, float negativeAt00) throws Exception {
        Path p = dir.resolve(name + ".omx");
        List<String> samples = List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8");
        Random r = new Random(7);
        try (StoreWriter w = StoreWriter.create(p, samples, StoreDescription.of(name, "transcriptome", "counts"), true)) {
            float[] row = new float[samples.size()];
            for (int f = 0; f < 40; f++) {
                for (int j = 0; j < row.length; j++) row[j] = f < 5 ? (j == 0 ? 1 : 0) : r.nextInt(200) + 5;
                if (f == 0) row[0] = negativeAt00;
                w.appendRow("F" + f, row, 0);
            }
            w.commit();
        }
        return p;
    }

    private Path manifest(String recipeOfRna) throws Exception {
        counts("rna", 1);
        counts("other", 1);
        Path m = dir.resolve("cohort.yaml");
        Files.writeString(m, """
                cohort: c
                layers:
                  - name: rna
                    omicsType: transcriptome
                    path: rna.omx
                    format: omx
                    units: counts
                """ + recipeOfRna + """
                  - name: other
                    omicsType: transcriptome
                    path: other.omx
                    format: omx
                """);
        return m;
    }

    @Test
    void recipe_equals_the_steps_run_by_hand_and_records_them() throws Exception {
        Path m = manifest("""
                    normalize:
                      - {filter: low-counts, min-count: 10, min-samples: 2}
                      - {method: logcpm, prior-count: 1}
                """);
        Path out = dir.resolve("norm");
        var outcomes = CohortNormalize.run(m, CohortManifest.read(m), out, Set.of(), false, ctx());
        assertEquals(2, outcomes.get(0).steps());
        assertEquals(0, outcomes.get(1).steps());

        try (MatrixStore in = MatrixStore.open(dir.resolve("rna.omx"))) {
            new LowCountFilter(10, 2).apply(in, dir.resolve("f.omx"), false, ctx());
        }
        try (MatrixStore f = MatrixStore.open(dir.resolve("f.omx"))) {
            new LogCpm(true, 1).apply(f, dir.resolve("byhand.omx"), false, ctx());
        }
        try (MatrixStore a = MatrixStore.open(out.resolve("rna.omx")); MatrixStore b = MatrixStore.open(dir.resolve("byhand.omx"))) {
            assertEquals(35, a.rows());
            assertEquals(b.featureIds(), a.featureIds());
            for (long i = 0; i < a.rows(); i++) for (int j = 0; j < a.cols(); j++) assertEquals(b.get(i, j), a.get(i, j), 0);
            var steps = a.meta().provenance().stream().map(p -> p.step()).toList();
            assertEquals(List.of("normalize:filter-low-counts", "normalize:logcpm"), steps.subList(steps.size() - 2, steps.size()));
            assertEquals("1.0", a.meta().provenance().getLast().parameters().get("priorCount"));
        }
        try (var files = Files.list(out)) {
            assertEquals(Set.of("rna.omx", "cohort.yaml"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()),
                    "intermediate stores are deleted");
        }
        CohortManifest written = CohortManifest.read(out.resolve("cohort.yaml"));
        assertEquals(out.resolve("rna.omx").toAbsolutePath().normalize(), written.layers().get(0).path());
        assertTrue(written.layers().get(0).normalize().isEmpty());
        assertTrue(written.layers().get(0).units().startsWith("log2 CPM"), written.layers().get(0).units());
        assertEquals(dir.resolve("other.omx").toAbsolutePath().normalize(), written.layers().get(1).path());
    }

    private InputFormatException fails(String recipe) throws Exception {
        Path m = manifest(recipe);
        return assertThrows(InputFormatException.class,
                () -> CohortNormalize.run(m, CohortManifest.read(m), dir.resolve("norm"), Set.of(), true, ctx()));
    }

    @Test
    void bad_steps_name_the_manifest_layer_step_and_parameter_before_anything_runs() throws Exception {
        InputFormatException typo = fails("    normalize: [{filter: low-counts, min-cont: 10}]\n");
        assertTrue(typo.getMessage().contains("cohort.yaml") && typo.getMessage().contains("layer 'rna'")
                && typo.getMessage().contains("layers[0].normalize[0].min-cont")
                && typo.getMessage().contains("it takes: min-count, min-samples"), typo.getMessage());
        assertFalse(Files.exists(dir.resolve("norm/rna.omx")));

        InputFormatException value = fails("    normalize: [log2, {method: logcpm, prior-count: -2}]\n");
        assertTrue(value.getMessage().contains("layers[0].normalize[1].prior-count") && value.getMessage().contains("positive"),
                value.getMessage());
        InputFormatException method = fails("    normalize: [tmm-logcpm]\n");
        assertTrue(method.getMessage().contains("unknown method 'tmm-logcpm'") && method.getMessage().contains("logcpm"),
                method.getMessage());
        InputFormatException table = fails("    normalize: [{method: combat, batch: batch}]\n");
        assertTrue(table.getMessage().contains("layers[0].normalize[0].sample-table"), table.getMessage());
    }

    @Test
    void data_errors_during_a_step_name_the_layer_and_step() throws Exception {
        Path m = manifest("    normalize: [logcpm]\n");
        counts("rna", -3);   // overwrite with a negative count
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> CohortNormalize.run(m, CohortManifest.read(m), dir.resolve("norm"), Set.of(), true, ctx()));
        assertTrue(e.getMessage().contains("layer 'rna', layers[0].normalize[0] (logcpm") && e.getMessage().contains("negative value -3"),
                e.getMessage());
    }

    @Test
    void layers_without_recipes_or_unknown_layers_are_errors_when_asked_for() throws Exception {
        Path m = manifest("");
        InputFormatException none = assertThrows(InputFormatException.class,
                () -> CohortNormalize.run(m, CohortManifest.read(m), dir.resolve("norm"), Set.of(), true, ctx()));
        assertTrue(none.getMessage().contains("no layer has a normalization recipe"), none.getMessage());
        InputFormatException unknown = assertThrows(InputFormatException.class,
                () -> CohortNormalize.run(m, CohortManifest.read(m), dir.resolve("norm"), Set.of("rnaa"), true, ctx()));
        assertTrue(unknown.getMessage().contains("no layer named 'rnaa'"), unknown.getMessage());
        Path withRecipe = manifest("    normalize: [logcpm]\n");
        InputFormatException self = assertThrows(InputFormatException.class,
                () -> CohortNormalize.run(withRecipe, CohortManifest.read(withRecipe), dir, Set.of(), true, ctx()));
        assertTrue(self.getMessage().contains("would replace the layer's own store"), self.getMessage());
    }
}
