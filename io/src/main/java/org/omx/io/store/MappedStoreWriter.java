package org.omx.io.store;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Writes a store of known shape through a writable memory mapping, so that rows, columns or
 * tiles can be written in any order (transposition, sparse imports, tiled results). The file is
 * created sparse: untouched elements read as 0.0f. Checksums are computed at {@link #commit()}.
 */
public final class MappedStoreWriter implements Closeable {

    private final Path target;
    private final Path temp;
    private final long rows;
    private final int cols;
    private final List<String> featureIds;
    private final List<String> sampleIds;
    private final StoreDescription description;
    private final boolean overwrite;
    private final Arena arena = Arena.ofShared();
    private final FileChannel channel;
    private final MemorySegment data;
    private boolean committed;

    private MappedStoreWriter(Path target, List<String> featureIds, List<String> sampleIds,
                              StoreDescription description, boolean overwrite) throws IOException {
        featureIds.forEach(id -> StoreLayout.checkId("feature", id));
        sampleIds.forEach(id -> StoreLayout.checkId("sample", id));
        this.target = target;
        this.rows = featureIds.size();
        this.cols = sampleIds.size();
        this.featureIds = List.copyOf(featureIds);
        this.sampleIds = List.copyOf(sampleIds);
        this.description = description;
        this.overwrite = overwrite;
        this.temp = StoreLayout.createTemp(target);
        try {
            channel = FileChannel.open(temp.resolve(StoreLayout.MATRIX), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
            channel.write(ByteBuffer.wrap(NpyHeader.encode(rows, cols)));
            long size = NpyHeader.LENGTH + 4L * rows * cols;
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(size, NpyHeader.LENGTH), arena);
            data = whole.asSlice(NpyHeader.LENGTH, size - NpyHeader.LENGTH);
        } catch (IOException | RuntimeException e) {
            arena.close();
            StoreLayout.deleteTree(temp);
            throw e;
        }
    }

    public static MappedStoreWriter create(Path target, List<String> featureIds, List<String> sampleIds,
                                           StoreDescription description, boolean overwrite) throws IOException {
        return new MappedStoreWriter(target, featureIds, sampleIds, description, overwrite);
    }

    public long rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The writable data: float32 little-endian, row-major, {@code rows x cols}. */
    public MemorySegment data() {
        return data;
    }

    /** Sets element (row, col). */
    public void set(long row, int col, float value) {
        data.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * (row * cols + col), value);
    }

    public float get(long row, int col) {
        return data.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * (row * cols + col));
    }

    /** Writes {@code values[offset .. offset + cols)} as row {@code row}. */
    public void setRow(long row, float[] values, int offset) {
        MemorySegment.copy(values, offset, data, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * row * cols, cols);
    }

    /** Flushes, checksums (reporting rows done to {@code progress}), and moves the store into place. */
    public StoreMeta commit(LongConsumer progress) throws IOException {
        if (committed) throw new IllegalStateException("already committed");
        data.force();
        long blockRows = StoreLayout.checksumBlockRows(cols);
        List<Integer> crcs = new ArrayList<>();
        CRC32C crc = new CRC32C();
        for (long r = 0; r < rows; r += blockRows) {
            long n = Math.min(blockRows, rows - r);
            crc.reset();
            crc.update(data.asSlice(4 * r * cols, 4 * n * cols).asByteBuffer());
            crcs.add((int) crc.getValue());
            progress.accept(r + n);
        }
        arena.close();
        channel.close();
        StoreLayout.writeIds(temp.resolve(StoreLayout.FEATURES), "feature_id", featureIds);
        StoreLayout.writeIds(temp.resolve(StoreLayout.SAMPLES), "sample_id", sampleIds);
        StoreLayout.writeMeta(temp, description, rows, cols, blockRows, crcs);
        StoreLayout.publish(temp, target, overwrite);
        committed = true;
        return MatrixStore.readMeta(target);
    }

    public StoreMeta commit() throws IOException {
        return commit(r -> { });
    }

    /** Without a prior commit, discards everything written. */
    @Override
    public void close() throws IOException {
        if (committed) return;
        try {
            // commit closes the arena before publishing; a publish that fails must not make close() throw
            if (arena.scope().isAlive()) arena.close();
            channel.close();
        } finally {
            StoreLayout.deleteTree(temp);
        }
    }
}
