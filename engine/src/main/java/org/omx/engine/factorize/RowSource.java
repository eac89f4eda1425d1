package org.omx.engine.factorize;

import org.omx.kernels.api.FloatMatrix;

import java.util.List;

/**
 * A features x samples matrix that factorizations read as a stream of row tiles, one full pass at
 * a time: a memory-mapped store (tiles are views, no copy), genotypes decoded from a .bed (tiles are
 * decoded on the fly), or several layers side by side. Nothing but the current tile is resident.
 */
public interface RowSource {

    /** Receives the tiles of one pass in row order. */
    @FunctionalInterface
    interface TileVisitor {
        void accept(FloatMatrix tile, long firstRow);
    }

    long rows();

    int cols();

    List<String> rowIds();

    List<String> colIds();

    /** Streams every row once, in tiles of at most {@code tileRows} rows. */
    void forEachTile(int tileRows, TileVisitor visitor);

    /** Bytes the source itself holds per tile row beyond the caller's buffers (a decode buffer, a gathered copy). */
    default long bytesPerTileRow() {
        return 0;
    }

    /**
     * Bytes of a file mapping that stay resident while a pass reads tiles of {@code tileRows} rows
     * (a mapped store releases each tile's pages after use: about one tile); 0 for sources that
     * read into buffers.
     */
    default long mappedBytes(int tileRows) {
        return 0;
    }

    /**
     * This source with its file pages kept mapped from one pass to the next where the whole mapping
     * fits {@code spareBytes}; itself where it maps nothing or does not fit. Pages released after each
     * tile come back by page faults on the next pass: 0.56 s of one core per pass over an 800 MB store,
     * against 0.04 s when they stay mapped (measured here).
     */
    default RowSource keepingPagesWithin(long spareBytes) {
        return this;
    }

    /** Drops the pages {@link #keepingPagesWithin} kept (the page cache keeps the file); a no-op elsewhere. */
    default void releaseKeptPages() {
    }

    /** Bytes outside the Java heap the source holds while a pass runs (read buffers). */
    default long offHeapBytes() {
        return 0;
    }

    /** A short description for logs and params.json. */
    String describe();
}
