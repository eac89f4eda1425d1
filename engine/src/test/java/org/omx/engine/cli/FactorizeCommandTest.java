package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** omx factorize pca / nmf / project on the committed fixtures, and their one-line errors. */
class FactorizeCommandTest {

    @TempDir
    Path dir;

    private Path copyFixtures() throws Exception {
        for (String f : List.of("geno.bed", "geno.bim", "geno.fam"))
            try (InputStream in = getClass().getResourceAsStream("/fixtures/factorize/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        return dir.resolve("geno");
    }

    @Test
    void genotype_pca_then_projection_of_the_reference_samples() throws Exception {
        Path geno = copyFixtures();
        Path out = dir.resolve("pca");
        CliRunner.Result r = CliRunner.run("factorize", "pca", geno.toString(), "-k", "4", "--power-iterations", "6",
                "-o", out.toString(), "--backend", "cpu", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("passes over the data"), r.out());
        for (String f : List.of("scores.tsv", "eigenvectors.tsv", "loadings.tsv", "variance.tsv", "params.json"))
            assertTrue(Files.exists(out.resolve(f)), f);
        assertTrue(Files.readString(out.resolve("params.json")).contains("\"convergence\""));
        List<String> scores = Files.readAllLines(out.resolve("scores.tsv"));
        assertEquals(201, scores.size());

        Path proj = dir.resolve("proj.tsv");
        r = CliRunner.run("factorize", "project", geno.toString(), "--loadings", out.resolve("loadings.tsv").toString(), "-o", proj.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        List<String> projected = Files.readAllLines(proj);
        // a reference sample projected onto its own PCA gets its score back (to the missingness correction's ~1e-3)
        for (int i = 1; i < 20; i++) {
            double a = Double.parseDouble(scores.get(i).split("\t")[1]);
            double b = Double.parseDouble(projected.get(i).split("\t")[1]);
            assertEquals(a, b, 0.01 * Math.abs(a) + 0.02, "sample " + i);
        }
    }

    @Test
    void errors_are_one_line_with_exit_code_2() throws Exception {
        Path geno = copyFixtures();
        CliRunner.Result r = CliRunner.run("factorize", "pca", geno.toString(), "-k", "500", "-o", dir.resolve("x").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("larger than the data allows"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path empty = dir.resolve("ids.txt");
        Files.writeString(empty, "rs11\nrs21\n");
        r = CliRunner.run("factorize", "pca", geno.toString(), "--variants", empty.toString(), "-k", "1", "-o", dir.resolve("y").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no variant left"), r.err());

        r = CliRunner.run("factorize", "pca", geno.toString(), "--method", "lanczos", "-o", dir.resolve("z").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--method must be subspace or krylov"), r.err());
    }

    private Path store(String name, List<String> samples, long seed) throws Exception {
        Path p = dir.resolve(name + ".omx");
        java.util.Random r = new java.util.Random(seed);
        try (org.omx.io.store.StoreWriter w = org.omx.io.store.StoreWriter.create(p, samples,
                org.omx.io.store.StoreDescription.of(name, name, "log"), false)) {
            float[] row = new float[samples.size()];
            for (int i = 0; i < 15; i++) {
                for (int j = 0; j < row.length; j++) row[j] = (float) (r.nextGaussian() + (i < 5 ? 2 * j / (double) row.length : 0));
                w.appendRow("g" + i, row, 0);
            }
            w.commit();
        }
        return p;
    }

    @Test
    void mfa_from_a_manifest_with_traits_and_a_layer_without_common_samples() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int j = 0; j < 30; j++) ids.add("p" + j);
        Path a = store("rna", ids, 1);
        Path b = store("protein", ids.subList(3, 30).reversed(), 2);
        Path manifest = dir.resolve("layers.txt");
        Files.writeString(manifest, "# name\tpath\nRNA\trna.omx\nprot\tprotein.omx\n");
        StringBuilder t = new StringBuilder("sample_id\tage\tgroup\n");
        for (int j = 0; j < 30; j++) t.append("p").append(j).append('\t').append(j % 4 == 0 ? "NA" : String.valueOf(20 + j)).append("\tx\n");
        Path traits = dir.resolve("traits.tsv");
        Files.writeString(traits, t);
        Path out = dir.resolve("mfa");
        CliRunner.Result r = CliRunner.run("factorize", "mfa", manifest.toString(), "-k", "3", "--scale", "--traits", traits.toString(),
                "-o", out.toString(), "--backend", "cpu", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("27 samples in common"), r.out());
        for (String f : List.of("scores.tsv", "loadings.tsv", "variance.tsv", "params.json", "factor-traits.tsv"))
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals("factor\tRNA\tprot\ttotal_weighted", Files.readAllLines(out.resolve("variance.tsv")).getFirst());
        assertEquals(31, Files.readAllLines(out.resolve("loadings.tsv")).size());
        assertEquals(4, Files.readAllLines(out.resolve("factor-traits.tsv")).size()); // 3 factors x age (group skipped)
        // F1 carries the planted gradient over sample index, which age follows
        String f1 = Files.readAllLines(out.resolve("factor-traits.tsv")).get(1);
        assertTrue(Math.abs(Double.parseDouble(f1.split("\t")[3])) > 0.8, f1);

        Path c = store("metab", List.of("q1", "q2", "q3"), 3);
        r = CliRunner.run("factorize", "mfa", a.toString(), b.toString(), c.toString(), "-k", "2", "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("layer metab has no samples in common with layers rna, protein"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A cohort manifest: its omx-store layers by their names; a PLINK layer is left out with a note; fewer than two stores is an error. */
    @Test
    void mfa_from_a_cohort_manifest_uses_its_store_layers() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (int j = 0; j < 25; j++) ids.add("p" + j);
        store("rna", ids, 1);
        store("protein", ids, 2);
        Path yaml = dir.resolve("cohort.yaml");
        Files.writeString(yaml, """
                cohort: test
                layers:
                - {name: transcriptome, omicsType: transcriptome, path: rna.omx, format: omx, units: log2}
                - {name: proteome, omicsType: proteome, path: protein.omx, format: omx, units: log2}
                - {name: genotypes, omicsType: genome, path: geno.bed, format: plink, units: dosage}
                """);
        Path out = dir.resolve("mfa-cohort");
        CliRunner.Result r = CliRunner.run("factorize", "mfa", yaml.toString(), "-k", "2", "-o", out.toString(), "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 factors over 2 layers, 25 samples in common"), r.out());
        assertTrue(r.err().contains("left out: genotypes (plink)"), r.err());
        assertEquals("factor\ttranscriptome\tproteome\ttotal_weighted", Files.readAllLines(out.resolve("variance.tsv")).getFirst());

        Files.writeString(yaml, """
                cohort: test
                layers:
                - {name: transcriptome, omicsType: transcriptome, path: rna.omx, format: omx, units: log2}
                - {name: genotypes, omicsType: genome, path: geno.bed, format: plink, units: dosage}
                """);
        r = CliRunner.run("factorize", "mfa", yaml.toString(), "-k", "2", "-o", dir.resolve("mfa-one").toString(), "-q");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("MFA needs at least two layers held as omx stores; the manifest has 1"), r.err());
    }
}
