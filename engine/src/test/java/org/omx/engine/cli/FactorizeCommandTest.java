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
}
