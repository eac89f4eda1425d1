package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.OmxVersion;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Row-tile passes over a store: reading tiles as views into the mapping (no copy), and writing a
 * new store by streaming transformed tiles. Tiles are sized so that one input tile and one output
 * buffer together stay within a quarter of the memory budget (the rest is left to per-feature and
 * per-sample statistics and the page cache).
 */
public final class StoreTransform {

    /** Upper bound on rows per tile: beyond this, larger tiles only delay the first progress report. */
    static final int MAX_TILE_ROWS = 1 << 16;

    /** Reads one row tile: a view of rows {@code [firstRow, firstRow + tile.rows())}. */
    @FunctionalInterface
    public interface TileScan {
        void accept(FloatMatrix tile, long firstRow) throws InputFormatException;
    }

    /** Computes an output tile from an input tile of the same shape. */
    @FunctionalInterface
    public interface TileOp {
        void apply(FloatMatrix in, FloatMatrix out, long firstRow) throws InputFormatException;
    }

    /**
     * Computes output rows {@code [from, to)} of a tile from the same input rows; element (i, j) of
     * the tile is at {@code i * cols + j} in both arrays. Must treat each row independently: rows
     * are split among threads.
     */
    @FunctionalInterface
    public interface RowArrayOp {
        void apply(float[] src, float[] dst, int from, int to, int cols) throws InputFormatException;
    }

    /** Upper bound on rows per tile of {@link #mapRowArrays}: enough to split among threads, small enough to stay in cache levels that matter. */
    static final int MAX_ARRAY_TILE_ROWS = 4096;

    private StoreTransform() {
    }

    /** Rows per tile for this store under the budget: at least 1. */
    public static int tileRows(MatrixStore s, long memoryBytes) {
        long perRow = 8L * Math.max(1, s.cols());
        long rows = Math.max(1, memoryBytes / 4 / perRow);
        return (int) Math.min(Math.min(rows, MAX_TILE_ROWS), Math.max(1, s.rows()));
    }

    /** The row tile {@code [r0, r0 + n)} as a matrix view into the store's mapping. */
    public static FloatMatrix view(MatrixStore s, long r0, int n) {
        return new FloatMatrix(s.rowTile(r0, n), 0, n, s.cols(), s.cols());
    }

    /** One pass over all rows, in order. */
    public static void scan(MatrixStore s, NormalizeContext ctx, TileScan scan) throws InputFormatException {
        int t = tileRows(s, ctx.memoryBytes());
        for (long r0 = 0; r0 < s.rows(); r0 += t) {
            int n = (int) Math.min(t, s.rows() - r0);
            scan.accept(view(s, r0, n), r0);
            ctx.progress().update(r0 + n, s.rows());
        }
    }

    /** Writes {@code op(tile)} for every tile of {@code in} to a new store at {@code out}. */
    public static StoreMeta mapRows(MatrixStore in, Path out, boolean overwrite, StoreDescription d, NormalizeContext ctx,
                                    TileOp op) throws IOException, InputFormatException {
        int t = tileRows(in, ctx.memoryBytes());
        int cols = in.cols();
        float[] buf = new float[t * cols];
        try (StoreWriter w = StoreWriter.create(out, in.sampleIds(), d, overwrite)) {
            for (long r0 = 0; r0 < in.rows(); r0 += t) {
                int n = (int) Math.min(t, in.rows() - r0);
                FloatMatrix dst = FloatMatrix.wrap(buf, n, cols);
                op.apply(view(in, r0, n), dst, r0);
                for (int i = 0; i < n; i++) w.appendRow(in.featureIds().get((int) (r0 + i)), buf, i * cols);
                ctx.progress().update(r0 + n, in.rows());
            }
            return w.commit();
        }
    }

    /**
     * Writes {@code op(tile)} for every tile of {@code in} to a new store at {@code out}, with the
     * tile copied out of the mapping in bulk and the rows of each tile split among
     * {@link NormalizeContext#threads()} threads (element-wise ops over plain arrays).
     */
    public static StoreMeta mapRowArrays(MatrixStore in, Path out, boolean overwrite, StoreDescription d, NormalizeContext ctx,
                                         RowArrayOp op) throws IOException, InputFormatException {
        int t = Math.max(1, Math.min(tileRows(in, ctx.memoryBytes()) / 2, MAX_ARRAY_TILE_ROWS));
        int cols = in.cols();
        float[] src = new float[t * cols];
        float[] dst = new float[t * cols];
        int minRows = Math.max(1, (1 << 16) / Math.max(1, cols));
        try (StoreWriter w = StoreWriter.create(out, in.sampleIds(), d, overwrite)) {
            for (long r0 = 0; r0 < in.rows(); r0 += t) {
                int n = (int) Math.min(t, in.rows() - r0);
                MemorySegment.copy(in.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * r0 * cols, src, 0, n * cols);
                Parallel.forRange(ctx.threads(), n, minRows, (from, to) -> op.apply(src, dst, from, to, cols));
                for (int i = 0; i < n; i++) w.appendRow(in.featureIds().get((int) (r0 + i)), dst, i * cols);
                ctx.progress().update(r0 + n, in.rows());
            }
            return w.commit();
        }
    }

    /** Copies the rows with {@code keep[row]} to a new store, in their order (filters). */
    public static StoreMeta keepRows(MatrixStore in, Path out, boolean overwrite, StoreDescription d, NormalizeContext ctx,
                                     boolean[] keep) throws IOException {
        int cols = in.cols();
        float[] row = new float[cols];
        try (StoreWriter w = StoreWriter.create(out, in.sampleIds(), d, overwrite)) {
            for (long r = 0; r < in.rows(); r++) {
                if (!keep[(int) r]) continue;
                in.copyRow(r, row, 0);
                w.appendRow(in.featureIds().get((int) r), row, 0);
                if ((r & 4095) == 0) ctx.progress().update(r, in.rows());
            }
            ctx.progress().update(in.rows(), in.rows());
            return w.commit();
        }
    }

    /** The input's description with new units and one more provenance step for {@code method}. */
    public static StoreDescription describe(MatrixStore in, Normalization method) {
        StoreMeta m = in.meta();
        Provenance step = new Provenance("normalize:" + method.name(), in.path().toAbsolutePath().toString(),
                method.parameters(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), OmxVersion.get());
        return new StoreDescription(m.layer(), m.omicsType(), method.units(m.units()),
                m.provenance() == null ? java.util.List.of() : m.provenance(),
                m.annotations() == null ? Map.of() : m.annotations()).withStep(step);
    }
}
