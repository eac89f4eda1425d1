package org.omx.io.mtx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class MatrixMarketImporterTest {

    static final StoreDescription D = StoreDescription.of("test", "transcriptome", "counts");

    @TempDir
    Path dir;

    static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    static Path writeGz(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    static float[][] read(Path store) throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            float[][] m = new float[(int) s.rows()][s.cols()];
            for (int r = 0; r < s.rows(); r++) s.copyRow(r, m[r], 0);
            return m;
        }
    }

    /** Neither the target nor a temporary sibling of it exists. */
    static void assertNoOutput(Path target) throws IOException {
        assertFalse(Files.exists(target), "target must not exist: " + target);
        try (Stream<Path> siblings = Files.list(target.toAbsolutePath().getParent())) {
            List<Path> left = siblings.filter(p -> p.getFileName().toString().startsWith(target.getFileName() + ".tmp")).toList();
            assertEquals(List.of(), left, "temporary output left behind");
        }
    }

    InputFormatException importFails(String text, int line) throws IOException {
        Path mtx = write(dir.resolve("bad.mtx"), text);
        Path target = dir.resolve("out.omx");
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> MatrixMarketImporter.importFile(mtx, null, null, target, false, D, Progress.NONE));
        assertTrue(e.getMessage().startsWith(mtx.toString()), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("line " + line), e.getMessage());
        assertNoOutput(target);
        return e;
    }

    @Test
    void general_real_matrix_is_dense_with_zeros_and_default_ids() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), """
                %%MatrixMarket matrix coordinate real general
                % a comment
                3 4 3

                1 1 1.5
                3 4 -2e-3
                2 2 .25
                """);
        Path target = dir.resolve("m.omx");
        var meta = MatrixMarketImporter.importFile(mtx, null, null, target, false, D, Progress.NONE);
        assertEquals(3, meta.rows());
        assertEquals(4, meta.cols());
        float[][] m = read(target);
        assertArrayEquals(new float[]{1.5f, 0, 0, 0}, m[0]);
        assertArrayEquals(new float[]{0, 0.25f, 0, 0}, m[1]);
        assertArrayEquals(new float[]{0, 0, 0, -2e-3f}, m[2]);
        try (MatrixStore s = MatrixStore.open(target)) {
            assertEquals(List.of("row1", "row2", "row3"), s.featureIds());
            assertEquals(List.of("col1", "col2", "col3", "col4"), s.sampleIds());
        }
    }

    @Test
    void repeated_entries_are_summed() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), """
                %%MatrixMarket matrix coordinate integer general
                2 2 3
                1 2 3
                1 2 4
                2 1 -1
                """);
        MatrixMarketImporter.importFile(mtx, null, null, dir.resolve("m.omx"), false, D, Progress.NONE);
        float[][] m = read(dir.resolve("m.omx"));
        assertArrayEquals(new float[]{0, 7}, m[0]);
        assertArrayEquals(new float[]{-1, 0}, m[1]);
    }

    @Test
    void symmetric_entries_are_mirrored_and_diagonal_kept_once() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), """
                %%MatrixMarket matrix coordinate real symmetric
                3 3 3
                1 1 2
                3 1 5
                3 2 7
                """);
        MatrixMarketImporter.importFile(mtx, null, null, dir.resolve("m.omx"), false, D, Progress.NONE);
        float[][] m = read(dir.resolve("m.omx"));
        assertArrayEquals(new float[]{2, 0, 5}, m[0]);
        assertArrayEquals(new float[]{0, 0, 7}, m[1]);
        assertArrayEquals(new float[]{5, 7, 0}, m[2]);
    }

    @Test
    void pattern_entries_count_as_one() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), """
                %%MatrixMarket Matrix Coordinate Pattern General
                2 3 2
                1 3
                2 1
                """);
        MatrixMarketImporter.importFile(mtx, null, null, dir.resolve("m.omx"), false, D, Progress.NONE);
        float[][] m = read(dir.resolve("m.omx"));
        assertArrayEquals(new float[]{0, 0, 1}, m[0]);
        assertArrayEquals(new float[]{1, 0, 0}, m[1]);
    }

    @Test
    void gzipped_matrix_with_id_files_names_rows_and_columns() throws Exception {
        Path mtx = writeGz(dir.resolve("m.mtx.gz"), """
                %%MatrixMarket matrix coordinate real general
                2 2 2
                1 1 1
                2 2 NaN
                """);
        Path f = write(dir.resolve("f.txt"), "geneA\tnameA\ngeneB\tnameB\n\n");
        Path s = writeGz(dir.resolve("s.txt.gz"), "S1\nS2\n");
        MatrixMarketImporter.importFile(mtx, f, s, dir.resolve("m.omx"), false, D, Progress.NONE);
        try (MatrixStore st = MatrixStore.open(dir.resolve("m.omx"))) {
            assertEquals(List.of("geneA", "geneB"), st.featureIds());
            assertEquals(List.of("S1", "S2"), st.sampleIds());
            assertEquals(1f, st.get(0, 0));
            assertTrue(Float.isNaN(st.get(1, 1)));
        }
    }

    @Test
    void progress_reports_entries_up_to_the_declared_count() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 3\n");
        long[] last = new long[2];
        MatrixMarketImporter.importFile(mtx, null, null, dir.resolve("m.omx"), false, D, (done, total) -> {
            last[0] = done;
            last[1] = total;
        });
        assertArrayEquals(new long[]{1, 1}, last);
    }

    @Test
    void index_out_of_range_names_line_and_column() throws Exception {
        var e = importFails("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n1 3 1\n", 4);
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("from 1 to 2"), e.getMessage());
        importFails("%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n", 3);
    }

    @Test
    void ragged_entry_line_names_line() throws Exception {
        var e = importFails("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2\n", 4);
        assertTrue(e.getMessage().contains("3 fields"), e.getMessage());
        importFails("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n", 3);
    }

    @Test
    void non_numeric_value_names_line() throws Exception {
        var e = importFails("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 1.0f\n", 4);
        assertTrue(e.getMessage().contains("'1.0f'"), e.getMessage());
        importFails("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", 3);
        importFails("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 x 1.5\n", 3);
        importFails("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1e39\n", 3);
    }

    @Test
    void more_entries_than_declared_names_line() throws Exception {
        var e = importFails("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 1\n", 4);
        assertTrue(e.getMessage().contains("declared on line 2"), e.getMessage());
    }

    @Test
    void fewer_entries_than_declared_names_size_line() throws Exception {
        var e = importFails("%%MatrixMarket matrix coordinate real general\n% c\n2 2 3\n1 1 1\n2 2 1\n", 3);
        assertTrue(e.getMessage().contains("only 2"), e.getMessage());
    }

    @Test
    void bad_banner_or_size_line_names_line() throws Exception {
        importFails("2 2 1\n1 1 1\n", 1);
        importFails("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", 1);
        importFails("%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0\n", 1);
        importFails("%%MatrixMarket matrix coordinate real general\n2 2\n1 1 1\n", 2);
        importFails("%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n1 1 1\n", 2);
        importFails("%%MatrixMarket matrix coordinate real general\n% only comments\n", 3);
    }

    @Test
    void symmetric_entry_above_diagonal_names_line() throws Exception {
        importFails("%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n1 1 1\n1 2 1\n", 4);
    }

    @Test
    void id_file_count_mismatch_names_both_files() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), "%%MatrixMarket matrix coordinate real general\n2 2 0\n");
        Path f = write(dir.resolve("f.txt"), "a\nb\nc\n");
        Path target = dir.resolve("m.omx");
        var e = assertThrows(InputFormatException.class,
                () -> MatrixMarketImporter.importFile(mtx, f, null, target, false, D, Progress.NONE));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(mtx.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertNoOutput(target);
    }

    @Test
    void duplicate_sample_id_names_both_lines() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), "%%MatrixMarket matrix coordinate real general\n1 3 0\n");
        Path s = write(dir.resolve("s.txt"), "a\nb\na\n");
        Path target = dir.resolve("m.omx");
        var e = assertThrows(InputFormatException.class,
                () -> MatrixMarketImporter.importFile(mtx, null, s, target, false, D, Progress.NONE));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains(s.toString()) && e.getMessage().contains("line 1"), e.getMessage());
        assertNoOutput(target);
    }

    @Test
    void truncated_gzip_is_an_input_error_without_output() throws Exception {
        StringBuilder sb = new StringBuilder("%%MatrixMarket matrix coordinate real general\n100 100 10000\n");
        for (int i = 1; i <= 100; i++) for (int j = 1; j <= 100; j++) sb.append(i).append(' ').append(j).append(" 1.25\n");
        Path whole = writeGz(dir.resolve("whole.mtx.gz"), sb.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.mtx.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Path target = dir.resolve("m.omx");
        var e = assertThrows(InputFormatException.class,
                () -> MatrixMarketImporter.importFile(cut, null, null, target, false, D, Progress.NONE));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertNoOutput(target);
    }

    @Test
    void existing_target_is_kept_without_overwrite() throws Exception {
        Path mtx = write(dir.resolve("m.mtx"), "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 2\n");
        Path target = dir.resolve("m.omx");
        MatrixMarketImporter.importFile(mtx, null, null, target, false, D, Progress.NONE);
        Path mtx2 = write(dir.resolve("m2.mtx"), "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 5\n");
        assertThrows(FileAlreadyExistsException.class,
                () -> MatrixMarketImporter.importFile(mtx2, null, null, target, false, D, Progress.NONE));
        assertEquals(2f, read(target)[0][0]);
        MatrixMarketImporter.importFile(mtx2, null, null, target, true, D, Progress.NONE);
        assertEquals(5f, read(target)[0][0]);
    }

    @Test
    void real_number_grammar_is_strict() {
        for (String ok : List.of("1", "-1.5", "+.5", "2.", "1e5", "1E-5", "nan", "-Inf", "Infinity"))
            assertTrue(MatrixMarketImporter.isReal(ok), ok);
        for (String bad : List.of("", "-", ".", "1f", "2d", "0x1p3", "1e", "1.2.3", "e5", "١"))
            assertFalse(MatrixMarketImporter.isReal(bad), bad);
    }
}
