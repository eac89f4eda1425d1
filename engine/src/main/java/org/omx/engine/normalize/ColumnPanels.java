package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-sample (column) work on a row-major store: gathers a panel of consecutive samples, all
 * features each, into a sample-major buffer ({@code width x features}, one sample per row), so
 * that column statistics (quantiles, medians, TMM trimming) become row operations that the
 * backend's row primitives can run. The panel width is what fits half the memory budget; a store
 * whose samples all fit is read once, a larger one once per panel.
 */
public final class ColumnPanels {

    @FunctionalInterface
    public interface PanelScan {
        /** {@code panel.get(s, g)} is feature g of sample {@code firstSample + s}. */
        void accept(int firstSample, FloatMatrix panel) throws InputFormatException;
    }

    /** The same panel as a heap array: feature g of sample {@code firstSample + s} is {@code panel[s * features + g]}. */
    @FunctionalInterface
    public interface ArrayPanelScan {
        void accept(int firstSample, int width, float[] panel) throws InputFormatException;
    }

    /** Rows read per block of the transposition: each sample's share of a block is one or more cache lines. */
    private static final int BLOCK_ROWS = 32;

    private ColumnPanels() {
    }

    /** Samples per panel under the budget: at least 1. */
    public static int panelWidth(MatrixStore s, long memoryBytes) {
        long perSample = 4L * Math.max(1, s.rows());
        long w = Math.max(1, memoryBytes / 2 / perSample);
        if (s.rows() * w > Integer.MAX_VALUE) w = Math.max(1, Integer.MAX_VALUE / Math.max(1, s.rows()));
        return (int) Math.min(w, Math.max(1, s.cols()));
    }

    /** True when every sample fits one panel, so a single {@link #scan} call sees all samples at once. */
    public static boolean singlePanel(MatrixStore s, NormalizeContext ctx) {
        return panelWidth(s, ctx.memoryBytes()) >= s.cols();
    }

    public static void scan(MatrixStore s, NormalizeContext ctx, PanelScan scan) throws InputFormatException {
        int g = (int) Math.min(Integer.MAX_VALUE, s.rows());
        scanArrays(s, ctx, (c0, width, panel) -> scan.accept(c0, FloatMatrix.wrap(panel, width, g)));
    }

    /**
     * Gathers each panel with a blocked transposition: a block of rows is copied out of the mapping
     * in bulk, then each sample's part of it is written as one contiguous run of the panel.
     */
    public static void scanArrays(MatrixStore s, NormalizeContext ctx, ArrayPanelScan scan) throws InputFormatException {
        if (s.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 features");
        int g = (int) s.rows();
        int cols = s.cols();
        int w = panelWidth(s, ctx.memoryBytes());
        float[] panel = new float[w * g];
        float[] block = new float[BLOCK_ROWS * cols];
        for (int c0 = 0; c0 < cols; c0 += w) {
            int width = Math.min(w, cols - c0);
            for (int i0 = 0; i0 < g; i0 += BLOCK_ROWS) {
                int nb = Math.min(BLOCK_ROWS, g - i0);
                MemorySegment.copy(s.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i0 * cols, block, 0, nb * cols);
                for (int k = 0; k < width; k++) {
                    int src = c0 + k;
                    int dst = k * g + i0;
                    for (int b = 0; b < nb; b++) panel[dst + b] = block[b * cols + src];
                }
            }
            scan.accept(c0, width, panel);
            ctx.progress().update(c0 + width, cols);
        }
    }
}
