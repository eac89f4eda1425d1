package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

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

    private ColumnPanels() {
    }

    /** Samples per panel under the budget: at least 1. */
    public static int panelWidth(MatrixStore s, long memoryBytes) {
        long perSample = 4L * Math.max(1, s.rows());
        long w = Math.max(1, memoryBytes / 2 / perSample);
        if (s.rows() * w > Integer.MAX_VALUE) w = Math.max(1, Integer.MAX_VALUE / Math.max(1, s.rows()));
        return (int) Math.min(w, Math.max(1, s.cols()));
    }

    public static void scan(MatrixStore s, NormalizeContext ctx, PanelScan scan) throws InputFormatException {
        if (s.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 features");
        int g = (int) s.rows();
        int cols = s.cols();
        int w = panelWidth(s, ctx.memoryBytes());
        float[] panel = new float[w * g];
        float[] row = new float[cols];
        for (int c0 = 0; c0 < cols; c0 += w) {
            int width = Math.min(w, cols - c0);
            for (int i = 0; i < g; i++) {
                s.copyRow(i, row, 0);
                for (int k = 0; k < width; k++) panel[k * g + i] = row[c0 + k];
            }
            scan.accept(c0, FloatMatrix.wrap(panel, width, g));
            ctx.progress().update(c0 + width, cols);
        }
    }
}
