package org.omx.io.text;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelimitedImporterTest {

    @TempDir
    Path dir;

    private static final int DEFAULT_CHUNK = DelimitedImporter.chunkBytes;

    @AfterEach
    void restoreChunkSize() {
        DelimitedImporter.chunkBytes = DEFAULT_CHUNK;
    }

    /** A store read back: IDs and the matrix as features x samples. */
    record Table(List<String> features, List<String> samples, float[][] values) {
        void assertSame(Table o) {
            assertEquals(features, o.features);
            assertEquals(samples, o.samples);
            for (int i = 0; i < values.length; i++) assertArrayEquals(values[i], o.values[i], "row " + i);
        }
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Table importAndRead(Path input, TextImportOptions opts) throws Exception {
        Path target = dir.resolve("out-" + System.nanoTime() + ".omx");
        DelimitedImporter.importFile(input, target, opts, Progress.NONE);
        return read(target);
    }

    private Table importAndRead(Path input) throws Exception {
        return importAndRead(input, TextImportOptions.defaults());
    }

    private static Table read(Path store) throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            float[][] v = new float[(int) s.rows()][s.cols()];
            for (int r = 0; r < s.rows(); r++) s.copyRow(r, v[r], 0);
            return new Table(s.featureIds(), s.sampleIds(), v);
        }
    }

    /** Imports expecting a format error; checks nothing but the input files is left in the directory. */
    private InputFormatException importFails(Path input, TextImportOptions opts) throws IOException {
        List<Path> before = list();
        Path target = dir.resolve("failed.omx");
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> DelimitedImporter.importFile(input, target, opts, Progress.NONE));
        assertFalse(Files.exists(target));
        assertEquals(before, list(), "leftover files");
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertTrue(e.getMessage().startsWith(input.toString()), e.getMessage());
        return e;
    }

    private InputFormatException importFails(Path input) throws IOException {
        return importFails(input, TextImportOptions.defaults());
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static final String SMALL = "gene\tS1\tS2\tS3\ng1\t1.5\t-2\t3e2\ng2\t0.000123\t.5\t12.3456\n";

    private static Table small() {
        return new Table(List.of("g1", "g2"), List.of("S1", "S2", "S3"),
                new float[][]{{1.5f, -2f, 300f}, {0.000123f, 0.5f, 12.3456f}});
    }

    @Test
    void tsv_values_and_ids() throws Exception {
        Path in = write("x.tsv", SMALL);
        Path target = dir.resolve("x.omx");
        StoreMeta meta = DelimitedImporter.importFile(in, target, TextImportOptions.defaults(), Progress.NONE);
        assertEquals(2, meta.rows());
        assertEquals(3, meta.cols());
        assertEquals("import-delimited", meta.provenance().getLast().step());
        small().assertSame(read(target));
    }

    @Test
    void csv_is_detected_from_the_header() throws Exception {
        small().assertSame(importAndRead(write("x.csv", SMALL.replace('\t', ','))));
    }

    @Test
    void explicit_delimiter() throws Exception {
        small().assertSame(importAndRead(write("x.txt", SMALL.replace('\t', ';')),
                TextImportOptions.defaults().withDelimiter(';')));
    }

    @Test
    void crlf_line_endings() throws Exception {
        small().assertSame(importAndRead(write("x.tsv", SMALL.replace("\n", "\r\n"))));
    }

    @Test
    void last_line_without_newline_and_blank_lines() throws Exception {
        small().assertSame(importAndRead(write("x.tsv", SMALL.replace("\ng2", "\n\ng2").stripTrailing())));
    }

    @Test
    void quoted_ids_are_unquoted() throws Exception {
        String text = "\"gene\",\"S1\",\"S2\",\"S3\"\n\"g1\",1.5,-2,3e2\n\"g2\",0.000123,.5,12.3456\n";
        small().assertSame(importAndRead(write("x.csv", text)));
        Table t = importAndRead(write("y.csv", "id,\"a,b\",\"say \"\"hi\"\"\"\n\"r,1\",1,2\n"));
        assertEquals(List.of("a,b", "say \"hi\""), t.samples);
        assertEquals(List.of("r,1"), t.features);
    }

    @Test
    void byte_order_mark_is_not_part_of_the_first_id() throws Exception {
        // R-style header, so the first header field is a sample ID
        String text = "\uFEFFS1,S2,S3\ng1,1.5,-2,3e2\ng2,0.000123,.5,12.3456\n";
        small().assertSame(importAndRead(write("bom.csv", text)));
    }

    @Test
    void quoted_values_and_spaces_are_tolerated() throws Exception {
        String text = "\"gene\",\"S1\",\"S2\",\"S3\"\n\"g1\",\"1.5\", -2 ,3e2\n\"g2\",0.000123,\".5\",\"12.3456\"\n";
        small().assertSame(importAndRead(write("q.csv", text)));
    }

    @Test
    void r_style_header_without_corner_field() throws Exception {
        // write.table(m, sep = "\t", quote = TRUE): header has one field fewer than the rows
        String text = "\"S1\"\t\"S2\"\t\"S3\"\n\"g1\"\t1.5\t-2\t3e2\n\"g2\"\t0.000123\t.5\t12.3456\n";
        small().assertSame(importAndRead(write("r.tsv", text)));
    }

    @Test
    void missing_and_infinite_tokens() throws Exception {
        Table t = importAndRead(write("na.tsv",
                "id\ta\tb\tc\td\te\tf\tg\th\ti\n"
                        + "g1\tNA\tNaN\tnan\t\t.\tInf\t-Inf\tinf\t7\n"
                        + "g2\t1\t2\t3\t4\t5\t6\t7\t8\t\n"));
        float[] r = t.values[0];
        for (int i = 0; i < 5; i++) assertTrue(Float.isNaN(r[i]), "column " + i);
        assertEquals(Float.POSITIVE_INFINITY, r[5]);
        assertEquals(Float.NEGATIVE_INFINITY, r[6]);
        assertEquals(Float.POSITIVE_INFINITY, r[7]);
        assertEquals(7f, r[8]);
        assertTrue(Float.isNaN(t.values[1][8]));
    }

    /** Random realistic values in assorted spellings; every cell must equal Float.parseFloat. */
    private static String randomTable(int rows, int cols, long seed, boolean crlf, List<String[]> cells) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("gene");
        for (int c = 0; c < cols; c++) sb.append('\t').append("S").append(c);
        sb.append(crlf ? "\r\n" : "\n");
        for (int r = 0; r < rows; r++) {
            sb.append("ENSG").append(100000 + r);
            String[] row = new String[cols];
            for (int c = 0; c < cols; c++) {
                double x = rnd.nextDouble() * Math.pow(10, rnd.nextInt(-6, 6)) * (rnd.nextBoolean() ? 1 : -1);
                String s = switch (rnd.nextInt(6)) {
                    case 0 -> String.format(Locale.ROOT, "%.4f", x);
                    case 1 -> String.format(Locale.ROOT, "%.3e", x);
                    case 2 -> Float.toString((float) x);
                    case 3 -> Double.toString(x);
                    case 4 -> Integer.toString(rnd.nextInt(0, 100000));
                    default -> String.format(Locale.ROOT, "%.6g", x);
                };
                row[c] = s;
                sb.append('\t').append(s);
            }
            if (cells != null) cells.add(row);
            sb.append(crlf ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    @Test
    void values_round_trip_exactly() throws Exception {
        List<String[]> cells = new ArrayList<>();
        Table t = importAndRead(write("v.tsv", randomTable(500, 40, 1, false, cells)));
        for (int r = 0; r < cells.size(); r++)
            for (int c = 0; c < 40; c++)
                assertEquals(Float.parseFloat(cells.get(r)[c]), t.values[r][c], cells.get(r)[c]);
    }

    @Test
    void chunk_boundaries_do_not_change_the_result() throws Exception {
        Path in = write("v.tsv", randomTable(300, 17, 2, true, null));
        Table whole = importAndRead(in);
        for (int chunk : new int[]{2, 61, 200, 1000}) {
            DelimitedImporter.chunkBytes = chunk; // smaller than one line for the first: chunks grow
            whole.assertSame(importAndRead(in, TextImportOptions.defaults().withThreads(3)));
        }
    }

    @Test
    void errors_name_the_absolute_line_in_a_later_chunk() throws Exception {
        String text = randomTable(200, 5, 3, false, null);
        String[] lines = text.split("\n");
        lines[150] = lines[150] + "\t9";
        DelimitedImporter.chunkBytes = 256;
        InputFormatException e = importFails(write("late.tsv", String.join("\n", lines) + "\n"));
        assertEquals(151, e.line());
    }

    private byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) {
            o.write(data);
        }
        return bos.toByteArray();
    }

    private byte[] compress(String format, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = switch (format) {
            case "gz" -> new GZIPOutputStream(bos);
            case "bz2" -> new BZip2CompressorOutputStream(bos);
            case "xz" -> new XZCompressorOutputStream(bos);
            case "zst" -> new ZstdCompressorOutputStream(bos);
            default -> throw new IllegalArgumentException(format);
        }) {
            o.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void compressed_inputs_give_the_plain_result() throws Exception {
        byte[] plain = randomTable(400, 12, 4, false, null).getBytes(StandardCharsets.US_ASCII);
        Table expected = importAndRead(write("p.tsv", plain));
        DelimitedImporter.chunkBytes = 1000;
        for (String f : new String[]{"gz", "bz2", "xz", "zst"}) {
            // the file name says nothing: detection is by magic bytes
            expected.assertSame(importAndRead(write("c-" + f + ".dat", compress(f, plain))));
        }
    }

    @Test
    void multi_member_gzip() throws Exception {
        byte[] plain = SMALL.getBytes(StandardCharsets.US_ASCII);
        int cut = SMALL.indexOf("g2");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip(Arrays.copyOfRange(plain, 0, cut - 3))); // members split mid-line
        both.write(gzip(Arrays.copyOfRange(plain, cut - 3, plain.length)));
        small().assertSame(importAndRead(write("m.tsv.gz", both.toByteArray())));
    }

    @Test
    void both_orientations_give_the_same_store() throws Exception {
        // features x samples table and its transpose, with more samples than one band
        int features = 70;
        int samples = TransposingRowSink.BAND_SAMPLES + 77;
        SplittableRandom rnd = new SplittableRandom(5);
        String[][] v = new String[features][samples];
        for (String[] row : v)
            for (int s = 0; s < samples; s++) row[s] = String.format(Locale.ROOT, "%.4f", rnd.nextDouble() * 100);
        StringBuilder a = new StringBuilder("id");
        for (int s = 0; s < samples; s++) a.append('\t').append("S").append(s);
        a.append('\n');
        for (int f = 0; f < features; f++) {
            a.append("F").append(f);
            for (int s = 0; s < samples; s++) a.append('\t').append(v[f][s]);
            a.append('\n');
        }
        StringBuilder b = new StringBuilder("id");
        for (int f = 0; f < features; f++) b.append(',').append("F").append(f);
        b.append('\n');
        for (int s = 0; s < samples; s++) {
            b.append("S").append(s);
            for (int f = 0; f < features; f++) b.append(',').append(v[f][s]);
            b.append('\n');
        }
        Table direct = importAndRead(write("a.tsv", a.toString()));
        DelimitedImporter.chunkBytes = 4096;
        Table transposed = importAndRead(write("b.csv", b.toString()),
                TextImportOptions.defaults().withSamplesInColumns(false).withMemoryBytes(16L << 20));
        direct.assertSame(transposed);
        assertEquals(Float.parseFloat(v[3][1000]), transposed.values[3][1000]);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("tmp")), "temporary files left");
        }
    }

    @Test
    void transpose_of_a_small_table() throws Exception {
        String text = "id\tg1\tg2\nS1\t1.5\t0.000123\nS2\t-2\t.5\nS3\t3e2\t12.3456\n";
        small().assertSame(importAndRead(write("t.tsv", text), TextImportOptions.defaults().withSamplesInColumns(false)));
    }

    @Test
    void progress_counts_input_bytes() throws Exception {
        Path in = write("x.tsv", SMALL);
        AtomicLong done = new AtomicLong();
        AtomicLong total = new AtomicLong();
        DelimitedImporter.importFile(in, dir.resolve("p.omx"), TextImportOptions.defaults(), (d, t) -> {
            done.set(d);
            total.set(t);
        });
        assertEquals(Files.size(in), total.get());
        assertEquals(Files.size(in), done.get());
    }

    @Test
    void existing_target_is_kept_unless_overwrite() throws Exception {
        Path in = write("x.tsv", SMALL);
        Path target = dir.resolve("x.omx");
        DelimitedImporter.importFile(in, target, TextImportOptions.defaults(), Progress.NONE);
        assertThrows(FileAlreadyExistsException.class,
                () -> DelimitedImporter.importFile(in, target, TextImportOptions.defaults(), Progress.NONE));
        Path in2 = write("y.tsv", SMALL.replace("g1", "h1"));
        DelimitedImporter.importFile(in2, target, TextImportOptions.defaults().withOverwrite(true), Progress.NONE);
        assertEquals(List.of("h1", "g2"), read(target).features);
    }

    // ---- errors

    @Test
    void ragged_row_names_line() throws Exception {
        InputFormatException e = importFails(write("r.tsv", SMALL + "g3\t1\t2\n"));
        assertEquals(4, e.line());
        assertEquals(4, e.column());
        assertTrue(e.getMessage().contains("expected 4 fields") && e.getMessage().contains("'3 fields'"), e.getMessage());
        e = importFails(write("r2.tsv", SMALL + "g3\t1\t2\t3\t4\n"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("'5 fields'"), e.getMessage());
    }

    @Test
    void non_numeric_cell_names_line_and_column() throws Exception {
        InputFormatException e = importFails(write("n.tsv", SMALL.replace("12.3456", "12.3x")));
        assertEquals(3, e.line());
        assertEquals(4, e.column());
        assertTrue(e.getMessage().contains("found '12.3x'"), e.getMessage());
    }

    @Test
    void duplicate_feature_names_both_lines() throws Exception {
        InputFormatException e = importFails(write("d.tsv", SMALL + "g1\t1\t2\t3\n"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("already at line 2"), e.getMessage());
    }

    @Test
    void duplicate_sample_names_both_columns() throws Exception {
        InputFormatException e = importFails(write("d.tsv", SMALL.replace("S3", "S1")));
        assertEquals(1, e.line());
        assertEquals(4, e.column());
        assertTrue(e.getMessage().contains("already in column 2"), e.getMessage());
    }

    @Test
    void duplicate_sample_in_rows_when_transposing() throws Exception {
        String text = "id\tg1\tg2\nS1\t1\t2\nS2\t3\t4\nS1\t5\t6\n";
        InputFormatException e = importFails(write("t.tsv", text), TextImportOptions.defaults().withSamplesInColumns(false));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unique sample ID") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void empty_file() throws Exception {
        InputFormatException e = importFails(write("e.tsv", ""));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void header_only_is_an_error() throws Exception {
        InputFormatException e = importFails(write("h.tsv", "gene\tS1\tS2\n\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("data lines after the header"), e.getMessage());
    }

    @Test
    void header_and_first_row_disagree() throws Exception {
        InputFormatException e = importFails(write("s.tsv", "gene\tS1\tS2\tS3\tS4\ng1\t1\t2\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("expected 5 fields like the header"), e.getMessage());
        e = importFails(write("one.tsv", "gene\ng1\n"));
        assertEquals(1, e.line());
    }

    @Test
    void empty_id_is_an_error() throws Exception {
        InputFormatException e = importFails(write("i.tsv", SMALL + "\t1\t2\t3\n"));
        assertEquals(4, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void truncated_compressed_streams() throws Exception {
        byte[] plain = randomTable(3000, 10, 6, false, null).getBytes(StandardCharsets.US_ASCII);
        DelimitedImporter.chunkBytes = 4096;
        for (String f : new String[]{"gz", "bz2", "xz", "zst"}) {
            byte[] c = compress(f, plain);
            Path in = write("t." + f, Arrays.copyOf(c, c.length / 2));
            InputFormatException e = importFails(in);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), f + ": " + e.getMessage());
            Files.delete(in);
        }
    }

    @Test
    void missing_input() {
        assertThrows(InputFormatException.class, () -> DelimitedImporter.importFile(dir.resolve("nope.tsv"),
                dir.resolve("n.omx"), TextImportOptions.defaults(), Progress.NONE));
    }
}
