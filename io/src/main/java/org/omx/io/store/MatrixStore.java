package org.omx.io.store;

import org.omx.io.InputFormatException;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * A store opened for reading: {@code matrix.npy} mapped read-only with the FFM API (files over
 * 2 GiB and over RAM included), the IDs and the metadata. Row tiles are views into the mapping,
 * never copies, and stay valid until {@link #close()}. Safe for concurrent readers.
 */
public final class MatrixStore implements Closeable {

    private final Path dir;
    private final StoreMeta meta;
    private final List<String> featureIds;
    private final List<String> sampleIds;
    private final Arena arena;
    private final MemorySegment data;
    private final long rows;
    private final int cols;

    private MatrixStore(Path dir, StoreMeta meta, List<String> featureIds, List<String> sampleIds, Arena arena,
                        MemorySegment data, long rows, int cols) {
        this.dir = dir;
        this.meta = meta;
        this.featureIds = featureIds;
        this.sampleIds = sampleIds;
        this.arena = arena;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Opens a store directory; every inconsistency between its files is an InputFormatException. */
    public static MatrixStore open(Path dir) throws IOException, InputFormatException {
        if (!Files.isDirectory(dir)) throw new InputFormatException(dir, "not a store directory (expected NAME.omx/ with matrix.npy)");
        StoreMeta meta = readMeta(dir);
        List<String> features = readIds(dir.resolve(StoreLayout.FEATURES));
        List<String> samples = readIds(dir.resolve(StoreLayout.SAMPLES));
        Path npy = dir.resolve(StoreLayout.MATRIX);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.READ)) {
            NpyMapping m = NpyMapping.map(npy, ch, arena);
            if (m.rows() != features.size())
                throw new InputFormatException(npy, "matrix has " + m.rows() + " rows but features.tsv lists " + features.size() + " features");
            if (m.cols() != samples.size())
                throw new InputFormatException(npy, "matrix has " + m.cols() + " columns but samples.tsv lists " + samples.size() + " samples");
            if (meta.rows() != m.rows() || meta.cols() != m.cols())
                throw new InputFormatException(dir.resolve(StoreLayout.META), "shape " + meta.rows() + "x" + meta.cols()
                        + " disagrees with matrix.npy " + m.rows() + "x" + m.cols());
            return new MatrixStore(dir, meta, features, samples, arena, m.data(), m.rows(), (int) m.cols());
        } catch (IOException | InputFormatException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The mapped data of a .npy file: used for stores and for bare .npy files. */
    record NpyMapping(long rows, long cols, MemorySegment data) {
        static NpyMapping map(Path npy, FileChannel ch, Arena arena) throws IOException, InputFormatException {
            ByteBuffer head = ByteBuffer.allocate(4096);
            ch.read(head, 0);
            head.flip();
            NpyHeader h;
            try {
                h = NpyHeader.decode(head);
            } catch (IllegalArgumentException e) {
                throw new InputFormatException(npy, e.getMessage());
            }
            if (h.cols() > Integer.MAX_VALUE) throw new InputFormatException(npy, "more than 2^31 columns");
            long expected = h.dataOffset() + 4 * h.rows() * h.cols();
            long size = ch.size();
            if (size != expected)
                throw new InputFormatException(npy, "expected " + expected + " bytes for a " + h.rows() + "x" + h.cols()
                        + " float32 matrix, found " + size + " (truncated or corrupt)");
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new NpyMapping(h.rows(), h.cols(), whole.asSlice(h.dataOffset()));
        }
    }

    static StoreMeta readMeta(Path dir) throws IOException {
        return StoreMetaJson.read(dir.resolve(StoreLayout.META));
    }

    private static List<String> readIds(Path file) throws IOException, InputFormatException {
        List<String> ids = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) throw new InputFormatException(file, "empty (expected a header line and one ID per line)");
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                ids.add(tab < 0 ? line : line.substring(0, tab));
            }
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "missing (every store has " + StoreLayout.FEATURES + " and " + StoreLayout.SAMPLES + ")");
        }
        return List.copyOf(ids);
    }

    public Path path() {
        return dir;
    }

    public StoreMeta meta() {
        return meta;
    }

    /** Number of features. */
    public long rows() {
        return rows;
    }

    /** Number of samples. */
    public int cols() {
        return cols;
    }

    public List<String> featureIds() {
        return featureIds;
    }

    public List<String> sampleIds() {
        return sampleIds;
    }

    /** The whole data region: {@code rows x cols} float32, little-endian, row-major. */
    public MemorySegment data() {
        return data;
    }

    /** Rows {@code [start, start + count)} as a view into the mapping (no copy). */
    public MemorySegment rowTile(long start, long count) {
        if (start < 0 || count < 0 || start + count > rows)
            throw new IndexOutOfBoundsException("rows " + start + ".." + (start + count) + " outside 0.." + rows);
        return data.asSlice(4 * start * cols, 4 * count * cols);
    }

    public float get(long row, int col) {
        return data.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * (row * cols + col));
    }

    /** Copies row {@code row} into {@code dst[dstPos .. dstPos + cols)}. */
    public void copyRow(long row, float[] dst, int dstPos) {
        MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * row * cols, dst, dstPos, cols);
    }

    /**
     * Recomputes the CRC32C of every block and compares with meta.json; returns the problems found
     * (empty when the data is intact). Reports rows checked to {@code progress}.
     */
    public List<String> verify(LongConsumer progress) {
        List<String> problems = new ArrayList<>();
        StoreMeta.Checksums c = meta.checksum();
        if (c == null || !"CRC32C".equals(c.algorithm())) {
            problems.add("no CRC32C checksums in meta.json");
            return problems;
        }
        long blockRows = c.blockRows();
        long expectedBlocks = rows == 0 ? 0 : (rows + blockRows - 1) / blockRows;
        if (c.blocks().size() != expectedBlocks) {
            problems.add("meta.json lists " + c.blocks().size() + " checksum blocks, expected " + expectedBlocks);
            return problems;
        }
        HexFormat hex = HexFormat.of();
        CRC32C crc = new CRC32C();
        for (int b = 0; b < expectedBlocks; b++) {
            long r0 = b * blockRows;
            long n = Math.min(blockRows, rows - r0);
            crc.reset();
            crc.update(rowTile(r0, n).asByteBuffer());
            String got = hex.toHexDigits((int) crc.getValue());
            if (!got.equals(c.blocks().get(b)))
                problems.add("rows " + (r0 + 1) + "-" + (r0 + n) + " (" + featureIds.get((int) r0) + " ..): CRC32C "
                        + got + " but meta.json says " + c.blocks().get(b));
            progress.accept(r0 + n);
        }
        return problems;
    }

    @Override
    public void close() {
        arena.close();
    }
}
