package org.omx.engine.factorize;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A store's rows, optionally restricted to a subset of its samples in a given order. With all
 * samples in store order, tiles are views into the mapping (no copy); otherwise each tile's chosen
 * columns are gathered into one reusable buffer.
 *
 * <p>Resident memory: the pages of a mapping count in the process's resident set from the first
 * touch until they are unmapped, so a pass over a 2 GB store would leave 2 GB resident (the kernel
 * reclaims them under pressure, but RSS limits and schedulers see them). Each tile's pages are
 * therefore released ({@link MemorySegment#unload()}, madvise DONTNEED) once the visitor is done with
 * it: what stays resident from the mapping is about one tile. The page cache keeps the file either
 * way, so the next pass re-maps the pages without reading the disk, but by one page fault per few
 * pages, which costs more than the arithmetic of a thin pass; so where the whole store fits the
 * memory budget, {@link #keepingPagesWithin} keeps them mapped.
 */
public final class StoreRows implements RowSource {

    private final MatrixStore store;
    private final int[] columns;
    private final List<String> colIds;
    private final boolean releasePages;
    /**
     * The gathered tile's buffer, kept for the next pass: at 100,000 samples a 512-row tile is 200 MB,
     * and a new one per pass went straight to the old generation, which grew the heap to its limit.
     */
    private float[] gathered;

    /** All samples in store order. */
    public StoreRows(MatrixStore store) {
        this(store, null);
    }

    /** The given store columns, in this order ({@code null}: all, in store order). */
    public StoreRows(MatrixStore store, int[] columns) {
        this(store, columns, true);
    }

    private StoreRows(MatrixStore store, int[] columns, boolean releasePages) {
        this.store = store;
        this.releasePages = releasePages;
        boolean identity = columns == null || columns.length == store.cols();
        if (columns != null && identity)
            for (int j = 0; j < columns.length; j++) identity &= columns[j] == j;
        this.columns = identity ? null : columns.clone();
        this.colIds = this.columns == null ? store.sampleIds()
                : java.util.Arrays.stream(this.columns).mapToObj(store.sampleIds()::get).toList();
    }

    public MatrixStore store() {
        return store;
    }

    @Override
    public long rows() {
        return store.rows();
    }

    @Override
    public int cols() {
        return colIds.size();
    }

    @Override
    public List<String> rowIds() {
        return store.featureIds();
    }

    @Override
    public List<String> colIds() {
        return colIds;
    }

    @Override
    public long bytesPerTileRow() {
        return columns == null ? 0 : 4L * columns.length;
    }

    @Override
    public void forEachTile(int tileRows, TileVisitor visitor) {
        long m = store.rows();
        int n = store.cols();
        float[] row = columns == null ? null : new float[n];
        float[] gathered = columns == null ? null : gatherBuffer(tileRows * columns.length);
        for (long r0 = 0; r0 < m; r0 += tileRows) {
            int t = (int) Math.min(tileRows, m - r0);
            MemorySegment pages = store.rowTile(r0, t);
            if (columns == null) {
                visitor.accept(new FloatMatrix(pages, 0, t, n, n), r0);
            } else {
                int c = columns.length;
                for (int i = 0; i < t; i++) {
                    store.copyRow(r0 + i, row, 0);
                    for (int j = 0; j < c; j++) gathered[i * c + j] = row[columns[j]];
                }
                visitor.accept(FloatMatrix.wrap(gathered, t, c), r0);
            }
            if (releasePages) release(pages);
        }
    }

    private float[] gatherBuffer(int floats) {
        if (gathered == null || gathered.length < floats) gathered = new float[floats];
        return gathered;
    }

    /** Mapped bytes resident at once: one tile's rows, or the whole store where pages are kept. */
    @Override
    public long mappedBytes(int tileRows) {
        return releasePages ? 4L * Math.min(tileRows, store.rows()) * store.cols() : storeBytes();
    }

    @Override
    public RowSource keepingPagesWithin(long spareBytes) {
        if (!releasePages || storeBytes() > spareBytes) return this;
        return new StoreRows(store, columns, false);
    }

    @Override
    public void releaseKeptPages() {
        if (!releasePages) release(store.rowTile(0, store.rows()));
    }

    /** Whether each tile's pages leave the resident set once read (see the class comment). */
    public boolean releasesPages() {
        return releasePages;
    }

    private long storeBytes() {
        return 4L * store.rows() * store.cols();
    }

    /** Drops a finished tile's pages from the resident set (not from the page cache); a no-op for unmapped data. */
    private static void release(MemorySegment pages) {
        if (pages.isMapped()) pages.unload();
    }

    @Override
    public String describe() {
        return store.path() + " (" + store.rows() + " features x " + cols() + " samples)";
    }
}
