package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code omx normalize} end to end: output, provenance, one-line errors. */
class NormalizeCommandTest {

    @TempDir
    Path dir;

    private Path importTsv(String content) throws Exception {
        Path tsv = dir.resolve("in.tsv");
        Files.writeString(tsv, content);
        Path store = dir.resolve("in.omx");
        CliRunner.Result r = CliRunner.run("import", tsv.toString(), "-o", store.toString(), "--units", "counts", "-q");
        assertEquals(0, r.exitCode(), r.err());
        return store;
    }

    @Test
    void logcpm_writes_a_store_with_provenance() throws Exception {
        Path in = importTsv("gene\tA\tB\tC\nG1\t10\t20\t5\nG2\t0\t4\t8\nG3\t100\t90\t120\n");
        Path out = dir.resolve("out.omx");
        CliRunner.Result r = CliRunner.run("normalize", in.toString(), "-o", out.toString(), "--method", "logcpm", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("3 features x 3 samples"), r.out());
        r = CliRunner.run("info", out.toString());
        assertTrue(r.out().contains("normalize:logcpm"), r.out());
    }

    @Test
    void voom_writes_expression_and_weights() throws Exception {
        Path in = importTsv("gene\tA\tB\tC\nG1\t10\t20\t5\nG2\t0\t4\t8\nG3\t100\t90\t120\nG4\t50\t60\t40\n");
        Path out = dir.resolve("v.omx");
        CliRunner.Result r = CliRunner.run("normalize", in.toString(), "-o", out.toString(), "--method", "voom", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("v.weights.omx: voom precision weights"), r.out());
        assertTrue(Files.isDirectory(dir.resolve("v.weights.omx")));
    }

    @Test
    void knn_fills_missing_values() throws Exception {
        Path in = importTsv("m\tA\tB\tC\tD\nM1\t1\t2\tNA\t4\nM2\t1.1\t2.1\t3.1\t4.1\nM3\t9\t8\t7\t6\n");
        Path out = dir.resolve("k.omx");
        CliRunner.Result r = CliRunner.run("normalize", in.toString(), "-o", out.toString(), "--method", "knn", "--k", "1", "-q");
        assertEquals(0, r.exitCode(), r.err());
        try (var s = org.omx.io.store.MatrixStore.open(out)) {
            assertEquals(3.1f, s.get(0, 2), 1e-6);
        }
    }

    @Test
    void bad_counts_unknown_method_and_missing_table_are_one_line_errors() throws Exception {
        Path in = importTsv("gene\tA\tB\tC\nG1\t10\t-2\t5\nG2\t0\t4\t8\n");
        CliRunner.Result r = CliRunner.run("normalize", in.toString(), "-o", dir.resolve("o.omx").toString(), "--method", "vst", "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("negative value -2.0 at feature G1, sample B"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        r = CliRunner.run("normalize", in.toString(), "-o", dir.resolve("o.omx").toString(), "--method", "rpkm", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown method 'rpkm'"), r.err());
        r = CliRunner.run("normalize", in.toString(), "-o", dir.resolve("o.omx").toString(), "--method", "combat", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--sample-table"), r.err());
    }

    @Test
    void an_option_the_method_does_not_take_is_an_error() throws Exception {
        Path in = importTsv("gene\tA\tB\tC\nG1\t10\t2\t5\nG2\t0\t4\t8\n");
        CliRunner.Result r = CliRunner.run("normalize", in.toString(), "-o", dir.resolve("o.omx").toString(), "--method", "logcpm",
                "--top", "3", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--top: method logcpm takes no parameter 'top'"), r.err());
    }

    @Test
    void every_option_default_is_the_catalog_default() {
        var spec = new picocli.CommandLine(new NormalizeCommand()).getCommandSpec();
        for (String method : org.omx.engine.normalize.NormalizationCatalog.methods()) {
            org.omx.engine.normalize.NormalizationCatalog.parameters(method).forEach((name, def) -> {
                var o = spec.findOption("--" + name);
                assertNotNull(o, "no option --" + name + " for " + method);
                if (def != null) assertEquals(def, o.defaultValue(), "--" + name);
            });
        }
    }

    @Test
    void manifest_recipes_run_per_layer() throws Exception {
        Path in = importTsv("gene\tA\tB\tC\nG1\t10\t20\t5\nG2\t0\t4\t8\nG3\t100\t90\t120\n");
        Path m = dir.resolve("cohort.yaml");
        Files.writeString(m, "cohort: c\nlayers:\n  - {name: rna, omicsType: transcriptome, path: in.omx, format: omx,\n"
                + "     normalize: [{method: logcpm, prior-count: 1}, zscore]}\n");
        Path out = dir.resolve("norm");
        CliRunner.Result r = CliRunner.run("normalize", "--manifest", m.toString(), "-o", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("layer rna: 2 steps"), r.out());
        assertTrue(Files.isDirectory(out.resolve("rna.omx")) && Files.exists(out.resolve("cohort.yaml")));
        r = CliRunner.run("normalize", "--manifest", m.toString(), "-o", out.toString(), "-q", "--method", "logcpm");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("come from each layer's recipe"), r.err());
        r = CliRunner.run("normalize", in.toString(), "-o", dir.resolve("x.omx").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--method is required"), r.err());
    }

    private Path resource(String name) throws Exception {
        return Path.of(getClass().getResource("/fixtures/normalize/" + name).toURI());
    }

    @Test
    void combat_options_reach_sva_semantics_from_the_command_line() throws Exception {
        Path store = dir.resolve("x.omx");
        assertEquals(0, CliRunner.run("import", resource("combat_input.tsv").toString(), "-o", store.toString(), "-q").exitCode());
        Path out = dir.resolve("ref.omx");
        CliRunner.Result r = CliRunner.run("normalize", store.toString(), "-o", out.toString(), "-m", "combat", "--sample-table",
                resource("combat_samples.tsv").toString(), "--covariate", "group", "--ref-batch", "b2", "-q");
        assertEquals(0, r.exitCode(), r.err());
        java.util.List<String> expected = Files.readAllLines(resource("combat_ref_b2.tsv"));
        try (var s = org.omx.io.store.MatrixStore.open(out)) {
            for (int i = 1; i < expected.size(); i++) {
                String[] f = expected.get(i).split("\t");
                for (int j = 1; j < f.length; j++) assertEquals(Double.parseDouble(f[j]), s.get(i - 1, j - 1), 1e-4, f[0]);
            }
            assertEquals("b2", s.meta().provenance().getLast().parameters().get("refBatch"));
        }
        r = CliRunner.run("normalize", store.toString(), "-o", dir.resolve("bad.omx").toString(), "-m", "combat", "--sample-table",
                resource("combat_samples.tsv").toString(), "--ref-batch", "b9", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--ref-batch: batch 'b9' is not a value of column 'batch' (have: b1, b2, b3)"), r.err());
        r = CliRunner.run("normalize", store.toString(), "-o", dir.resolve("bad.omx").toString(), "-m", "combat", "--sample-table",
                resource("combat_samples.tsv").toString(), "--par-prior", "maybe", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("'par-prior' must be true or false"), r.err());
    }
}
