package org.omx.io.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.Progress;
import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

class TsvExporterTest {

    @TempDir
    Path dir;

    /** Values that break naive formatting: exponents, subnormals, extremes, signed zero, NaN, infinities. */
    static final float[] TRICKY = {0f, -0f, 1f, 3f, -7f, 0.1f, 1f / 3, 16777216f, 16777217f, 1e7f, 9999999f, 1e-5f,
            1.0E-45f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 123456.79f, 2.5e-38f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, (float) Math.PI, 0.30000001f};

    /** A rows x cols store filled with TRICKY values then random bit patterns; returns its values. */
    float[][] store(Path target, int rows, int cols) throws IOException {
        List<String> f = new ArrayList<>();
        List<String> s = new ArrayList<>();
        for (int r = 0; r < rows; r++) f.add("gene-" + r + "-é");
        for (int c = 0; c < cols; c++) s.add("S" + c);
        SplittableRandom rnd = new SplittableRandom(5);
        float[][] m = new float[rows][cols];
        try (MappedStoreWriter w = MappedStoreWriter.create(target, f, s, StoreDescription.of("t", "transcriptome", "x"), false)) {
            int k = 0;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++, k++) {
                    m[r][c] = k < TRICKY.length ? TRICKY[k] : Float.intBitsToFloat(rnd.nextInt());
                    w.set(r, c, m[r][c]);
                }
            w.commit();
        }
        return m;
    }

    /** The simplest reader of the exported text: header, then ID and values per line; NA → NaN, Inf → ∞. */
    record Table(List<String> header, List<String> ids, List<float[]> values) {
    }

    static Table parse(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) in = new GZIPInputStream(in);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> header = List.of(r.readLine().split("\t", -1));
            List<String> ids = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                assertEquals(header.size(), f.length, "ragged line " + (ids.size() + 2));
                ids.add(f[0]);
                float[] v = new float[f.length - 1];
                for (int i = 1; i < f.length; i++)
                    v[i - 1] = switch (f[i]) {
                        case "NA" -> Float.NaN;
                        case "Inf" -> Float.POSITIVE_INFINITY;
                        case "-Inf" -> Float.NEGATIVE_INFINITY;
                        default -> Float.parseFloat(f[i]);
                    };
                values.add(v);
            }
            return new Table(header, ids, values);
        }
    }

    static void assertBitsEqual(float expected, float actual, String where) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), where + ": " + expected + " vs " + actual);
    }

    static void assertNoTemp(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @Test
    void features_as_rows_round_trip_exactly() throws Exception {
        float[][] m = store(dir.resolve("s.omx"), 7, 9);
        Path out = dir.resolve("out.tsv");
        try (MatrixStore s = MatrixStore.open(dir.resolve("s.omx"))) {
            TsvExporter.export(s, out, false, Progress.NONE);
        }
        Table t = parse(out);
        assertEquals("feature_id", t.header().get(0));
        assertEquals(List.of("S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"), t.header().subList(1, 10));
        assertEquals("gene-6-é", t.ids().get(6));
        assertEquals(7, t.values().size());
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 9; c++) assertBitsEqual(m[r][c], t.values().get(r)[c], "r=" + r + " c=" + c);
        assertNoTemp(dir);
    }

    @Test
    void gzipped_samples_as_rows_round_trip_exactly_across_many_strips() throws Exception {
        float[][] m = store(dir.resolve("s.omx"), 13, 10);
        try (MatrixStore s = MatrixStore.open(dir.resolve("s.omx"))) {
            for (long stripFloats : new long[]{1, 13 * 3, 1 << 20}) {
                Path out = dir.resolve("t" + stripFloats + ".tsv.gz");
                long[] progress = new long[2];
                TsvExporter.export(s, out, true, (done, total) -> {
                    progress[0] = done;
                    progress[1] = total;
                }, stripFloats);
                assertArrayEquals(new long[]{10, 10}, progress);
                try (InputStream in = Files.newInputStream(out)) {
                    assertEquals(0x1f, in.read(), "gzip magic");
                    assertEquals(0x8b, in.read(), "gzip magic");
                }
                Table t = parse(out);
                assertEquals("sample_id", t.header().get(0));
                assertEquals("gene-12-é", t.header().get(13));
                assertEquals(10, t.ids().size());
                for (int c = 0; c < 10; c++) {
                    assertEquals("S" + c, t.ids().get(c));
                    for (int r = 0; r < 13; r++)
                        assertBitsEqual(m[r][c], t.values().get(c)[r], "strip " + stripFloats + " r=" + r + " c=" + c);
                }
            }
        }
        assertNoTemp(dir);
    }

    @Test
    void values_use_shortest_text_and_integers_have_no_decimal_point() {
        assertEquals("3", TsvExporter.format(3f));
        assertEquals("-7", TsvExporter.format(-7f));
        assertEquals("0", TsvExporter.format(0f));
        assertEquals("-0", TsvExporter.format(-0f));
        assertEquals("0.1", TsvExporter.format(0.1f));
        assertEquals("9999999", TsvExporter.format(9999999f));
        assertEquals("1.0E7", TsvExporter.format(1e7f));
        assertEquals("1.4E-45", TsvExporter.format(Float.MIN_VALUE));
        assertEquals("NA", TsvExporter.format(Float.NaN));
        assertEquals("Inf", TsvExporter.format(Float.POSITIVE_INFINITY));
        assertEquals("-Inf", TsvExporter.format(Float.NEGATIVE_INFINITY));
    }

    @Test
    void every_finite_value_format_parses_back_to_the_same_float() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 500_000; i++) {
            float v = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isFinite(v)) continue;
            String s = TsvExporter.format(v);
            assertEquals(Float.floatToIntBits(v), Float.floatToIntBits(Float.parseFloat(s)), s);
        }
    }

    @Test
    void existing_output_is_replaced_only_when_complete() throws Exception {
        store(dir.resolve("s.omx"), 2, 2);
        Path out = dir.resolve("out.tsv");
        Files.writeString(out, "old");
        try (MatrixStore s = MatrixStore.open(dir.resolve("s.omx"))) {
            TsvExporter.export(s, out, false, Progress.NONE);
        }
        assertTrue(Files.readString(out).startsWith("feature_id\tS0\tS1\n"));
        assertNoTemp(dir);
    }

    @Test
    void failed_export_leaves_no_temporary_file() throws Exception {
        store(dir.resolve("s.omx"), 2, 2);
        Path out = Files.createDirectories(dir.resolve("taken.tsv"));
        Files.writeString(out.resolve("keep"), "x");
        try (MatrixStore s = MatrixStore.open(dir.resolve("s.omx"))) {
            assertThrows(IOException.class, () -> TsvExporter.export(s, out, false, Progress.NONE));
        }
        assertTrue(Files.exists(out.resolve("keep")));
        assertNoTemp(dir);
    }

    @Test
    void empty_store_writes_header_only() throws Exception {
        try (MappedStoreWriter w = MappedStoreWriter.create(dir.resolve("e.omx"), List.of(), List.of("A", "B"),
                StoreDescription.of("t", "x", "x"), false)) {
            w.commit();
        }
        try (MatrixStore s = MatrixStore.open(dir.resolve("e.omx"))) {
            TsvExporter.export(s, dir.resolve("e.tsv"), false, Progress.NONE);
            TsvExporter.export(s, dir.resolve("et.tsv"), true, Progress.NONE);
        }
        assertEquals("feature_id\tA\tB\n", Files.readString(dir.resolve("e.tsv")));
        assertEquals("sample_id\nA\nB\n", Files.readString(dir.resolve("et.tsv")));
    }
}
