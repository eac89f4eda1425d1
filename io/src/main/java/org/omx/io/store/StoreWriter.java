package org.omx.io.store;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a store by streaming rows (features) in order; the matrix is never held in memory. The
 * number of rows need not be known in advance: the .npy header is rewritten at {@link #commit()}.
 * Nothing appears at the target path until commit succeeds; {@link #close()} without commit
 * removes everything written.
 */
public final class StoreWriter implements Closeable {

    private static final int BUFFER_BYTES = 4 << 20;

    private final Path target;
    private final Path temp;
    private final int cols;
    private final List<String> sampleIds;
    private final StoreDescription description;
    private final boolean overwrite;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final FloatBuffer floats;
    private final BufferedWriter features;
    private final long blockRows;
    private final List<Integer> crcs = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private long rows;
    private boolean committed;

    private StoreWriter(Path target, List<String> sampleIds, StoreDescription description, boolean overwrite)
            throws IOException {
        sampleIds.forEach(id -> StoreLayout.checkId("sample", id));
        this.target = target;
        this.cols = sampleIds.size();
        this.sampleIds = List.copyOf(sampleIds);
        this.description = description;
        this.overwrite = overwrite;
        this.blockRows = StoreLayout.checksumBlockRows(cols);
        this.temp = StoreLayout.createTemp(target);
        try {
            channel = FileChannel.open(temp.resolve(StoreLayout.MATRIX), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            channel.write(ByteBuffer.wrap(NpyHeader.encode(0, cols)));
            buffer = ByteBuffer.allocateDirect(Math.max(BUFFER_BYTES, 4 * cols)).order(ByteOrder.LITTLE_ENDIAN);
            floats = buffer.asFloatBuffer();
            features = Files.newBufferedWriter(temp.resolve(StoreLayout.FEATURES), StandardCharsets.UTF_8);
            features.write("feature_id\n");
        } catch (IOException | RuntimeException e) {
            StoreLayout.deleteTree(temp);
            throw e;
        }
    }

    /**
     * Starts a store at {@code target} (a directory, conventionally named {@code *.omx}) whose
     * columns are the given samples.
     */
    public static StoreWriter create(Path target, List<String> sampleIds, StoreDescription description,
                                     boolean overwrite) throws IOException {
        return new StoreWriter(target, sampleIds, description, overwrite);
    }

    public int cols() {
        return cols;
    }

    public long rowsWritten() {
        return rows;
    }

    /** Appends one row: {@code values[offset .. offset + cols)}. */
    public void appendRow(String featureId, float[] values, int offset) throws IOException {
        StoreLayout.checkId("feature", featureId);
        features.write(featureId);
        features.write('\n');
        int pos = offset;
        int left = cols;
        while (left > 0) {
            if (!floats.hasRemaining()) flush();
            int n = Math.min(left, floats.remaining());
            floats.put(values, pos, n);
            pos += n;
            left -= n;
        }
        rows++;
        if (rows % blockRows == 0) {
            flush();
            crcs.add((int) crc.getValue());
            crc.reset();
        }
    }

    private void flush() throws IOException {
        int bytes = floats.position() * 4;
        if (bytes == 0) return;
        buffer.position(0).limit(bytes);
        crc.update(buffer.duplicate());
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
        floats.clear();
    }

    /** Finishes the files and moves the store into place; returns its metadata. */
    public StoreMeta commit() throws IOException {
        if (committed) throw new IllegalStateException("already committed");
        flush();
        if (rows % blockRows != 0) crcs.add((int) crc.getValue());
        channel.write(ByteBuffer.wrap(NpyHeader.encode(rows, cols)), 0);
        channel.force(true);
        channel.close();
        features.close();
        StoreLayout.writeIds(temp.resolve(StoreLayout.SAMPLES), "sample_id", sampleIds);
        StoreLayout.writeMeta(temp, description, rows, cols, blockRows, crcs);
        StoreLayout.publish(temp, target, overwrite);
        committed = true;
        return MatrixStore.readMeta(target);
    }

    /** Without a prior commit, discards everything written. */
    @Override
    public void close() throws IOException {
        if (committed) return;
        try {
            channel.close();
            features.close();
        } finally {
            StoreLayout.deleteTree(temp);
        }
    }
}
