package org.omx.io.cohort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortManifestTest {

    @TempDir
    Path dir;

    private CohortManifest sample() {
        return new CohortManifest("demo", 42L, List.of(
                new CohortManifest.Layer("genotypes", "genome", dir.resolve("genotypes.bed"),
                        CohortManifest.Format.PLINK, "dosage", null),
                new CohortManifest.Layer("transcriptome", "transcriptome", dir.resolve("rna/transcriptome.omx"),
                        CohortManifest.Format.OMX, "counts", dir.resolve("rna/ids.tsv"))),
                new CohortManifest.Tables(dir.resolve("covariates.tsv"), dir.resolve("phenotypes.tsv"), null,
                        dir.resolve("truth")));
    }

    @Test
    void yaml_round_trip_with_relative_paths() throws Exception {
        Path file = dir.resolve("cohort.yaml");
        sample().write(file);
        String text = Files.readString(file);
        assertTrue(text.contains("path: rna/transcriptome.omx"), text);
        assertTrue(text.contains("format: plink"), text);
        assertEquals(sample(), CohortManifest.read(file));
    }

    @Test
    void json_round_trip() throws Exception {
        Path file = dir.resolve("cohort.json");
        sample().write(file);
        assertTrue(Files.readString(file).trim().startsWith("{"));
        assertEquals(sample(), CohortManifest.read(file));
    }

    @Test
    void relative_paths_resolve_against_the_manifest_directory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        Path file = sub.resolve("m.yml");
        Files.writeString(file, """
                cohort: x
                layers:
                  - name: prot
                    omicsType: proteome
                    path: ../prot.omx
                    format: omx
                """);
        CohortManifest m = CohortManifest.read(file);
        assertEquals(dir.resolve("a/prot.omx").toAbsolutePath().normalize(), m.layers().get(0).path());
        assertNull(m.seed());
        assertNull(m.layers().get(0).units());
        assertNull(m.tables().covariates());
        assertEquals(List.of(m.layers().get(0).path()), m.missingFiles());
    }

    private InputFormatException bad(String yaml) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        return assertThrows(InputFormatException.class, () -> CohortManifest.read(file));
    }

    @Test
    void bad_manifest_names_file_field_and_expectation() throws IOException {
        InputFormatException e = bad("""
                cohort: x
                layers:
                  - name: rna
                    omicsType: transcriptome
                    path: rna.omx
                    format: bam
                """);
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("layers[0].format"), e.getMessage());
        assertTrue(e.getMessage().contains("one of omx, plink, tsv"), e.getMessage());
        assertTrue(e.getMessage().contains("'bam'"), e.getMessage());

        assertTrue(bad("cohort: x\n").getMessage().contains("'layers'"));
        assertTrue(bad("cohort: x\nseed: abc\nlayers: []\n").getMessage().contains("seed"));
        assertTrue(bad("cohort: x\nlayer: []\n").getMessage().contains("unknown field 'layer'"));
        assertTrue(bad("""
                cohort: x
                layers:
                  - {name: a, omicsType: t, path: p, format: omx}
                  - {name: a, omicsType: t, path: q, format: omx}
                """).getMessage().contains("layers[1].name"));
        InputFormatException syntax = bad("cohort: [x\nlayers: 3\n");
        assertTrue(syntax.line() > 0, syntax.getMessage());
        assertTrue(syntax.getMessage().contains("valid YAML"), syntax.getMessage());
    }

    @Test
    void recipe_steps_parse_in_order_and_round_trip() throws Exception {
        Path file = dir.resolve("r.yaml");
        Files.writeString(file, """
                cohort: x
                layers:
                  - name: rna
                    omicsType: transcriptome
                    path: rna.omx
                    format: omx
                    normalize:
                      - {filter: low-counts, min-count: 10, min-samples: 2}
                      - method: logcpm
                      - {method: combat, covariate: [age, sex]}
                  - name: prot
                    omicsType: proteome
                    path: prot.omx
                    format: omx
                    normalize: [log2, quantile]
                """);
        CohortManifest m = CohortManifest.read(file);
        List<CohortManifest.RecipeStep> rna = m.layers().get(0).normalize();
        assertEquals(List.of("filter-low-counts", "logcpm", "combat"), rna.stream().map(CohortManifest.RecipeStep::method).toList());
        assertEquals(List.of("min-count", "min-samples"), List.copyOf(rna.get(0).parameters().keySet()));
        assertEquals("10", rna.get(0).parameters().get("min-count"));
        assertEquals("age,sex", rna.get(2).parameters().get("covariate"));
        assertEquals("layers[0].normalize[2]", rna.get(2).where());
        assertEquals(List.of("log2", "quantile"), m.layers().get(1).normalize().stream().map(CohortManifest.RecipeStep::method).toList());
        Path copy = dir.resolve("copy.json");
        m.write(copy);
        CohortManifest back = CohortManifest.read(copy);
        for (int l = 0; l < 2; l++) {
            var a = m.layers().get(l).normalize();
            var b = back.layers().get(l).normalize();
            assertEquals(a.stream().map(CohortManifest.RecipeStep::method).toList(), b.stream().map(CohortManifest.RecipeStep::method).toList());
            for (int k = 0; k < a.size(); k++) assertEquals(a.get(k).parameters(), b.get(k).parameters());
        }
    }

    @Test
    void malformed_recipe_step_names_the_step() throws IOException {
        String head = """
                cohort: x
                layers:
                  - name: rna
                    omicsType: transcriptome
                    path: rna.omx
                    format: omx
                """;
        InputFormatException both = bad(head + "    normalize:\n      - {method: logcpm, filter: low-counts}\n");
        assertTrue(both.getMessage().contains("layers[0].normalize[0]") && both.getMessage().contains("exactly one of"), both.getMessage());
        InputFormatException notList = bad(head + "    normalize: logcpm\n");
        assertTrue(notList.getMessage().contains("layers[0].normalize") && notList.getMessage().contains("a list of steps"), notList.getMessage());
        InputFormatException nested = bad(head + "    normalize:\n      - {method: combat, covariate: {a: 1}}\n");
        assertTrue(nested.getMessage().contains("layers[0].normalize[0].covariate"), nested.getMessage());
    }
}
