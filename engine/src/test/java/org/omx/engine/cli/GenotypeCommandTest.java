package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code omx genotype stats} end to end. */
class GenotypeCommandTest {

    @TempDir
    Path dir;

    @Test
    void stats_table_has_one_line_per_variant_and_bad_input_is_one_line() throws Exception {
        Path bed = Path.of(getClass().getResource("/fixtures/factorize/geno.bed").toURI());
        Path out = dir.resolve("stats.tsv");
        CliRunner.Result r = CliRunner.run("genotype", "stats", bed.toString(), "-o", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1001, lines.size());
        assertEquals("variant_id\ta1\ta2\ta1_freq\tcall_rate\thwe_p\tn_a1a1\tn_a1a2\tn_a2a2\tn_missing", lines.get(0));
        assertTrue(lines.get(1).startsWith("rs1\tA\tG\t0.13000000\t1.0000000\t0.3409"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("rs21\tA\tG\tNA\t0.0000000\tNA\t0\t0\t0\t200")));

        Path notBed = Files.writeString(dir.resolve("x.bed"), "not a bed");
        r = CliRunner.run("genotype", "stats", notBed.toString(), "-o", dir.resolve("o.tsv").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void standardize_reads_the_bed_directly_and_normalize_accepts_it_for_that_method_only() throws Exception {
        Path bed = Path.of(getClass().getResource("/fixtures/factorize/geno.bed").toURI());
        CliRunner.Result r = CliRunner.run("genotype", "standardize", bed.toString(), "-o", dir.resolve("z.omx").toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1000 variants x 200 samples, standardized dosage"), r.out());
        r = CliRunner.run("normalize", bed.toString(), "-o", dir.resolve("z2.omx").toString(), "-m", "standardize-dosage", "-q");
        assertEquals(0, r.exitCode(), r.err());
        r = CliRunner.run("normalize", bed.toString(), "-o", dir.resolve("z3.omx").toString(), "-m", "zscore", "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("takes --method standardize-dosage"), r.err());
    }
}
