package org.omx.io.text;

import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lines are samples: spills them row-major (samples x features, float32) to a temporary file beside
 * the target, then transposes that file through memory mappings into a {@link MappedStoreWriter}
 * (features x samples). Only one tile pair is ever on the heap, so files larger than RAM work; the
 * spill is deleted whatever happens.
 *
 * <p>Blocking: a band of {@link #BAND_SAMPLES} samples is read (contiguous in the spill) and
 * written as runs of {@code 4 * BAND_SAMPLES} = 4 KiB into each feature row of the store, so every
 * page of both mappings is touched about once per pass. Inside a band, tiles of
 * {@link #CACHE_TILE} x {@link #CACHE_TILE} floats (16 KiB, half a 32 KiB L1d) are transposed.
 */
final class TransposingRowSink implements RowSink {

    /** Samples per band: 1024 floats = one 4 KiB page per feature row of the output. */
    static final int BAND_SAMPLES = 1024;
    /** Side of the in-cache transposition tile (64 x 64 floats = 16 KiB). */
    static final int CACHE_TILE = 64;
    private static final int SPILL_BUFFER_BYTES = 4 << 20;

    private final Path target;
    private final List<String> featureIds;
    private final StoreDescription description;
    private final boolean overwrite;
    private final long memoryBytes;
    private final Path spill;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final FloatBuffer floats;
    private final List<String> sampleIds = new ArrayList<>();
    private final int features;

    TransposingRowSink(Path target, List<String> featureIds, StoreDescription description, boolean overwrite,
                       long memoryBytes) throws IOException {
        this.target = target;
        this.featureIds = List.copyOf(featureIds);
        this.features = featureIds.size();
        this.description = description;
        this.overwrite = overwrite;
        this.memoryBytes = memoryBytes;
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        this.spill = abs.resolveSibling(abs.getFileName() + ".rows-tmp-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        this.channel = FileChannel.open(spill, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.buffer = ByteBuffer.allocateDirect(Math.max(SPILL_BUFFER_BYTES, 4 * features)).order(ByteOrder.LITTLE_ENDIAN);
        this.floats = buffer.asFloatBuffer();
    }

    @Override
    public void accept(String id, float[] values, int offset) throws IOException {
        sampleIds.add(id);
        if (floats.remaining() < features) flush();
        floats.put(values, offset, features);
    }

    private void flush() throws IOException {
        buffer.position(0).limit(floats.position() * 4);
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
        floats.clear();
    }

    @Override
    public StoreMeta commit() throws IOException {
        flush();
        long samples = sampleIds.size();
        try (MappedStoreWriter out = MappedStoreWriter.create(target, featureIds, sampleIds, description, overwrite);
             Arena arena = Arena.ofConfined()) {
            long bytes = 4L * samples * features;
            MemorySegment in = bytes == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            transpose(in, out.data(), samples, features, memoryBytes);
            return out.commit();
        } finally {
            close();
        }
    }

    /**
     * Writes the transpose of {@code in} ({@code rows x cols}, row-major float32) into {@code out}
     * ({@code cols x rows}). Heap use is two tiles of at most {@code memoryBytes / 4}.
     */
    static void transpose(MemorySegment in, MemorySegment out, long rows, int cols, long memoryBytes) {
        int band = (int) Math.min(rows, BAND_SAMPLES);
        if (band == 0 || cols == 0) return;
        long budgetFloats = Math.max(CACHE_TILE * (long) band, memoryBytes / 4 / 4);
        int width = (int) Math.min(cols, Math.max(CACHE_TILE, budgetFloats / band / CACHE_TILE * CACHE_TILE));
        float[] tile = new float[band * width];
        float[] transposed = new float[width * band];
        for (long r0 = 0; r0 < rows; r0 += band) {
            int h = (int) Math.min(band, rows - r0);
            for (int c0 = 0; c0 < cols; c0 += width) {
                int w = Math.min(width, cols - c0);
                for (int i = 0; i < h; i++)
                    MemorySegment.copy(in, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * ((r0 + i) * cols + c0), tile, i * w, w);
                for (int ii = 0; ii < h; ii += CACHE_TILE) {
                    int iEnd = Math.min(h, ii + CACHE_TILE);
                    for (int jj = 0; jj < w; jj += CACHE_TILE) {
                        int jEnd = Math.min(w, jj + CACHE_TILE);
                        for (int i = ii; i < iEnd; i++)
                            for (int j = jj; j < jEnd; j++) transposed[j * h + i] = tile[i * w + j];
                    }
                }
                for (int j = 0; j < w; j++)
                    MemorySegment.copy(transposed, j * h, out, ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * ((c0 + j) * rows + r0), h);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(spill);
        }
    }
}
