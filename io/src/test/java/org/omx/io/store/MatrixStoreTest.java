package org.omx.io.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.InputFormatException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class MatrixStoreTest {

    @TempDir
    Path dir;

    static List<String> ids(String prefix, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(prefix + i);
        return l;
    }

    static float[][] random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] m = new float[rows][cols];
        for (float[] row : m)
            for (int j = 0; j < cols; j++) row[j] = r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
        return m;
    }

    static Path write(Path target, float[][] m, int cols) throws IOException {
        try (StoreWriter w = StoreWriter.create(target, ids("S", cols), StoreDescription.of("test", "transcriptome", "log2"), false)) {
            for (int i = 0; i < m.length; i++) w.appendRow("F" + i, m[i], 0);
            w.commit();
        }
        return target;
    }

    @Test
    void streamed_rows_read_back_bit_for_bit() throws Exception {
        float[][] m = random(37, 13, 1);
        Path p = write(dir.resolve("a.omx"), m, 13);
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals(37, s.rows());
            assertEquals(13, s.cols());
            assertEquals(ids("F", 37), s.featureIds());
            assertEquals(ids("S", 13), s.sampleIds());
            for (int i = 0; i < 37; i++)
                for (int j = 0; j < 13; j++)
                    assertEquals(Float.floatToRawIntBits(m[i][j]), Float.floatToRawIntBits(s.get(i, j)), "(" + i + "," + j + ")");
            assertEquals("transcriptome", s.meta().omicsType());
            assertTrue(s.verify(r -> { }).isEmpty());
        }
    }

    @Test
    void row_tile_is_a_view_not_a_copy() throws Exception {
        float[][] m = random(10, 4, 2);
        try (MatrixStore s = MatrixStore.open(write(dir.resolve("v.omx"), m, 4))) {
            var tile = s.rowTile(3, 2);
            assertEquals(2 * 4 * 4, tile.byteSize());
            assertEquals(s.data().address() + 3 * 4 * 4, tile.address());
        }
    }

    @Test
    void many_checksum_blocks_and_a_partial_last_block_verify() throws Exception {
        // 3 columns -> blockRows = 4 MiB / 12 bytes; write 2.5 blocks worth of rows
        long blockRows = StoreLayout.checksumBlockRows(3);
        int rows = (int) (blockRows * 2 + blockRows / 2);
        Path p = dir.resolve("big.omx");
        float[] row = new float[3];
        try (StoreWriter w = StoreWriter.create(p, ids("S", 3), StoreDescription.of("l", "x", "u"), false)) {
            for (int i = 0; i < rows; i++) {
                row[0] = i;
                row[1] = -i;
                row[2] = i * 0.5f;
                w.appendRow("F" + i, row, 0);
            }
            w.commit();
        }
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals(3, s.meta().checksum().blocks().size());
            assertTrue(s.verify(r -> { }).isEmpty());
            assertEquals(rows - 1, s.get(rows - 1, 0));
        }
    }

    @Test
    void verify_names_the_corrupted_rows() throws Exception {
        Path p = write(dir.resolve("c.omx"), random(20, 5, 3), 5);
        try (FileChannel ch = FileChannel.open(p.resolve(StoreLayout.MATRIX), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4}), NpyHeader.LENGTH + 4 * 5 * 7);
        }
        try (MatrixStore s = MatrixStore.open(p)) {
            List<String> problems = s.verify(r -> { });
            assertEquals(1, problems.size());
            assertTrue(problems.get(0).contains("rows 1-20"), problems.get(0));
        }
    }

    @Test
    void abandoned_writer_leaves_nothing_behind() throws Exception {
        Path p = dir.resolve("x.omx");
        try (StoreWriter w = StoreWriter.create(p, ids("S", 2), StoreDescription.of("l", "x", "u"), false)) {
            w.appendRow("F0", new float[]{1, 2}, 0);
            // no commit: simulates a failure half-way
        }
        assertFalse(Files.exists(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary directory removed");
        }
    }

    @Test
    void existing_store_is_kept_unless_overwrite() throws Exception {
        Path p = write(dir.resolve("o.omx"), random(2, 2, 4), 2);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> write(p, random(2, 2, 5), 2));
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals(2, s.rows());
        }
        try (StoreWriter w = StoreWriter.create(p, ids("S", 1), StoreDescription.of("l", "x", "u"), true)) {
            w.appendRow("G", new float[]{7}, 0);
            w.commit();
        }
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals(1, s.rows());
            assertEquals(7f, s.get(0, 0));
        }
    }

    @Test
    void mapped_writer_accepts_any_order_and_zero_fills() throws Exception {
        Path p = dir.resolve("m.omx");
        try (MappedStoreWriter w = MappedStoreWriter.create(p, ids("F", 4), ids("S", 3), StoreDescription.of("l", "x", "u"), false)) {
            w.set(3, 2, 5f);
            w.set(0, 0, -1f);
            w.setRow(1, new float[]{9, 8, 7}, 0);
            w.commit();
        }
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals(5f, s.get(3, 2));
            assertEquals(-1f, s.get(0, 0));
            assertEquals(8f, s.get(1, 1));
            assertEquals(0f, s.get(2, 1));
            assertTrue(s.verify(r -> { }).isEmpty());
        }
    }

    @Test
    void truncated_matrix_is_an_input_error_naming_the_file() throws Exception {
        Path p = write(dir.resolve("t.omx"), random(5, 5, 6), 5);
        Path npy = p.resolve(StoreLayout.MATRIX);
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4);
        }
        InputFormatException e = assertThrows(InputFormatException.class, () -> MatrixStore.open(p));
        assertTrue(e.getMessage().contains("matrix.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void ids_mismatching_the_matrix_are_an_input_error() throws Exception {
        Path p = write(dir.resolve("i.omx"), random(5, 5, 7), 5);
        Files.writeString(p.resolve(StoreLayout.FEATURES), "feature_id\nA\nB\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> MatrixStore.open(p));
        assertTrue(e.getMessage().contains("features.tsv lists 2"), e.getMessage());
    }

    @Test
    void npy_header_is_64_byte_aligned_and_parses_back() {
        byte[] h = NpyHeader.encode(123456789012L, 1000);
        assertEquals(NpyHeader.LENGTH, h.length);
        assertEquals(0, NpyHeader.LENGTH % 64);
        assertEquals('\n', h[h.length - 1]);
        NpyHeader back = NpyHeader.decode(ByteBuffer.wrap(h));
        assertEquals(123456789012L, back.rows());
        assertEquals(1000, back.cols());
        assertEquals(NpyHeader.LENGTH, back.dataOffset());
    }

    @Test
    void npy_with_other_dtype_is_refused() {
        byte[] h = NpyHeader.encode(2, 2);
        String s = new String(h, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", "<f8");
        var e = assertThrows(IllegalArgumentException.class,
                () -> NpyHeader.decode(ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));
        assertTrue(e.getMessage().contains("float32"));
    }

    /**
     * A store over 2 GiB (and, with sparse allocation, not occupying that much disk): the mapping
     * and row tiles must address beyond Integer.MAX_VALUE bytes.
     */
    @Test
    void sparse_store_over_2_gib_maps_and_reads_its_last_row() throws Exception {
        int cols = 1000;
        long rows = 600_000; // 2.4 GB of data
        Path p = dir.resolve("huge.omx");
        Files.createDirectory(p);
        try (RandomAccessFile f = new RandomAccessFile(p.resolve(StoreLayout.MATRIX).toFile(), "rw")) {
            f.write(NpyHeader.encode(rows, cols));
            f.setLength(NpyHeader.LENGTH + 4L * rows * cols);
            ByteBuffer last = ByteBuffer.allocate(4 * cols).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < cols; j++) last.putFloat(j + 0.25f);
            f.seek(NpyHeader.LENGTH + 4L * (rows - 1) * cols);
            f.write(last.array());
        }
        // IDs and metadata as a writer would produce them (checksums not needed for this test)
        StoreLayout.writeIds(p.resolve(StoreLayout.FEATURES), "feature_id", new java.util.AbstractList<>() {
            public String get(int i) { return "F" + i; }
            public int size() { return (int) rows; }
        });
        StoreLayout.writeIds(p.resolve(StoreLayout.SAMPLES), "sample_id", ids("S", cols));
        StoreLayout.writeMeta(p, StoreDescription.of("huge", "x", "u"), rows, cols, 1, List.of());
        try (MatrixStore s = MatrixStore.open(p)) {
            assertTrue(s.data().byteSize() > Integer.MAX_VALUE);
            assertEquals(999.25f, s.get(rows - 1, cols - 1));
            assertEquals(0f, s.get(rows / 2, 3));
            var tile = s.rowTile(rows - 2, 2);
            assertEquals(0.25f, tile.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * cols));
        }
    }

    @Test
    void provenance_and_annotations_survive() throws Exception {
        Path p = dir.resolve("p.omx");
        StoreDescription d = new StoreDescription("rna", "transcriptome", "counts", List.of(), Map.of("lab", "A"))
                .withStep(new Provenance("import", "/data/x.tsv", Map.of("delimiter", "tab"), "2026-01-01T00:00:00Z", "0.1"));
        try (StoreWriter w = StoreWriter.create(p, ids("S", 1), d, false)) {
            w.appendRow("F", new float[]{1}, 0);
            w.commit();
        }
        try (MatrixStore s = MatrixStore.open(p)) {
            assertEquals("import", s.meta().provenance().get(0).step());
            assertEquals("A", s.meta().annotations().get("lab"));
        }
    }
}
