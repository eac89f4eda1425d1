package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code omx cohort check|align} end to end. */
class CohortCommandTest {

    @TempDir
    Path dir;

    private Path importTsv(String name, String content) throws Exception {
        Path tsv = dir.resolve(name + ".tsv");
        Files.writeString(tsv, content);
        Path store = dir.resolve(name + ".omx");
        CliRunner.Result r = CliRunner.run("import", tsv.toString(), "-o", store.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        return store;
    }

    @Test
    void check_exit_codes_and_align_output() throws Exception {
        importTsv("rna", "gene\tP2\tP3\nG1\t2\t3\n");
        importTsv("prot", "prot\tP3\tP2\tp1\nQ1\t7\t8\t9\n");
        Files.writeString(dir.resolve("cov.tsv"), "sample_id\tage\nP1\t30\nP2\t40\nP3\t50\n");
        Files.writeString(dir.resolve("cohort.yaml"), """
                cohort: t
                layers:
                  - {name: rna, omicsType: transcriptome, path: rna.omx, format: omx}
                  - {name: prot, omicsType: proteome, path: prot.omx, format: omx}
                tables:
                  covariates: cov.tsv
                """);
        CliRunner.Result r = CliRunner.run("cohort", "check", dir.resolve("cohort.yaml").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("unmatched: p1 - differs only in case from P1"), r.out());
        r = CliRunner.run("cohort", "align", dir.resolve("cohort.yaml").toString(), "-o", dir.resolve("out").toString(), "-q");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("prot.omx") && r.err().contains("sample ID p1"), r.err());
        r = CliRunner.run("cohort", "align", dir.resolve("cohort.yaml").toString(), "-o", dir.resolve("out").toString(),
                "--drop-mismatched", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 layers (1 written, 1 referenced in place)"), r.out());
        r = CliRunner.run("cohort", "check", dir.resolve("out/cohort.yaml").toString());
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().contains("2 participants"), r.out());
    }
}
