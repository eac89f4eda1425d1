package org.omx.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The command line end to end: exit codes, one-line errors, files in and out. */
class CliTest {

    @TempDir
    Path dir;

    private Path tsv(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertOneLineError(CliRunner.Result r, String... fragments) {
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertEquals(1, err.lines().filter(l -> l.contains("error")).count(), err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' in: " + err);
    }

    @Test
    void import_info_export_round_trip() throws Exception {
        Path in = tsv("x.tsv", "gene\tS1\tS2\tS3\nG1\t1\t2.5\tNA\nG2\t-3e-2\t0\t7\n");
        Path store = dir.resolve("x.omx");
        CliRunner.Result r = CliRunner.run("import", in.toString(), "-o", store.toString(), "--omics-type", "proteome", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 features x 3 samples"), r.out());

        r = CliRunner.run("info", store.toString(), "--verify");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("proteome"), r.out());
        assertTrue(r.out().contains("verify     ok"), r.out());
        assertTrue(r.out().contains("import"), "provenance shows the import: " + r.out());

        Path back = dir.resolve("back.tsv.gz");
        r = CliRunner.run("export", store.toString(), "-o", back.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        String text = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(back)).readAllBytes());
        assertEquals("feature_id\tS1\tS2\tS3\nG1\t1\t2.5\tNA\nG2\t-0.03\t0\t7\n", text);

        r = CliRunner.run("export", store.toString(), "-o", "-", "--samples-in-rows", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("sample_id\tG1\tG2\nS1\t1\t-0.03\nS2\t2.5\t0\nS3\tNA\t7\n", r.out());
    }

    @Test
    void ragged_row_is_one_line_naming_file_and_line() throws Exception {
        Path in = tsv("bad.tsv", "id\ta\tb\nf1\t1\t2\nf2\t3\n");
        CliRunner.Result r = CliRunner.run("import", in.toString(), "-o", dir.resolve("bad.omx").toString(), "-q");
        assertOneLineError(r, "bad.tsv", "line 3");
        assertFalse(Files.exists(dir.resolve("bad.omx")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the input remains");
        }
    }

    @Test
    void non_numeric_cell_names_line_and_column() throws Exception {
        Path in = tsv("nn.tsv", "id\ta\tb\nf1\t1\tabc\n");
        assertOneLineError(CliRunner.run("import", in.toString(), "-o", dir.resolve("nn.omx").toString(), "-q"),
                "nn.tsv", "line 2", "column 3", "abc");
    }

    @Test
    void truncated_gzip_is_a_clear_error() throws Exception {
        Path gz = dir.resolve("t.tsv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            StringBuilder sb = new StringBuilder("id\ta\tb\n");
            for (int i = 0; i < 20000; i++) sb.append("f").append(i).append("\t").append(i).append("\t1.5\n");
            o.write(sb.toString().getBytes());
        }
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        assertOneLineError(CliRunner.run("import", gz.toString(), "-o", dir.resolve("t.omx").toString(), "-q"),
                "t.tsv.gz", "truncated");
        assertFalse(Files.exists(dir.resolve("t.omx")));
    }

    @Test
    void existing_output_needs_force() throws Exception {
        Path in = tsv("e.tsv", "id\ta\nf\t1\n");
        Path out = dir.resolve("e.omx");
        assertEquals(0, CliRunner.run("import", in.toString(), "-o", out.toString(), "-q").exitCode());
        assertOneLineError(CliRunner.run("import", in.toString(), "-o", out.toString(), "-q"), "exists", "--force");
        assertEquals(0, CliRunner.run("import", in.toString(), "-o", out.toString(), "-q", "--force").exitCode());
    }

    @Test
    void verify_reports_corruption_with_exit_code_3() throws Exception {
        Path in = tsv("c.tsv", "id\ta\tb\nf1\t1\t2\nf2\t3\t4\n");
        Path store = dir.resolve("c.omx");
        assertEquals(0, CliRunner.run("import", in.toString(), "-o", store.toString(), "-q").exitCode());
        try (FileChannel ch = FileChannel.open(store.resolve("matrix.npy"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{9, 9, 9, 9}), 128);
        }
        CliRunner.Result r = CliRunner.run("info", store.toString(), "--verify", "-q");
        assertEquals(InfoCommand.CORRUPT, r.exitCode());
        assertTrue(r.out().contains("CORRUPT"), r.out());
    }

    @Test
    void bad_option_values_are_usage_errors() {
        CliRunner.Result r = CliRunner.run("import", "x.tsv", "-o", "y.omx", "--memory", "lots");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("expected a size"), r.err());
        r = CliRunner.run("import", "x.tsv", "-o", "y.omx", "--samples-in-rows", "--samples-in-columns");
        assertEquals(2, r.exitCode());
    }

    @Test
    void missing_input_file_is_named() {
        assertOneLineError(CliRunner.run("import", dir.resolve("nope.tsv").toString(), "-o", dir.resolve("n.omx").toString()),
                "nope.tsv");
    }

    @Test
    void devices_lists_the_cpu_backend_and_its_self_check() {
        CliRunner.Result r = CliRunner.run("devices");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("cpu: available"), r.out());
        assertTrue(r.out().contains("self-check passed"), r.out());
    }

    @Test
    void unknown_backend_is_a_clear_error() throws Exception {
        Path out = dir.resolve("demo");
        CliRunner.Result r = CliRunner.run("demo", "-o", out.toString(), "--samples", "20", "--backend", "cuda", "-q");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("cuda"), r.err());
    }

    @Test
    void simulate_writes_a_cohort_and_refuses_a_non_empty_directory() throws Exception {
        Path out = dir.resolve("cohort");
        CliRunner.Result r = CliRunner.run("simulate", "-o", out.toString(), "--samples", "30", "--variants", "100",
                "--genes", "50", "--proteins", "10", "--metabolites", "10", "--taxa", "10", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(out.resolve("cohort.yaml")));
        r = CliRunner.run("simulate", "-o", out.toString(), "--samples", "30", "-q");
        assertOneLineError(r, "not empty");
    }
}
