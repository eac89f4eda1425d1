package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * DESeq2's median-of-ratios size factors ({@code estimateSizeFactorsForMatrix}, type "ratio";
 * Anders and Huber 2010): the size factor of sample j is the median, over genes with no zero count,
 * of {@code log(count_gj) - mean_j' log(count_gj')}, exponentiated. Not rescaled (DESeq2 rescales
 * only when geometric means are supplied). As a transform, writes normalized counts
 * {@code count / sizeFactor} ({@code counts(dds, normalized = TRUE)}).
 *
 * <p>Pass 1 streams the log geometric means per gene; a column-panel pass takes the medians (by
 * selection, in parallel over samples).
 * When every gene has a zero somewhere, DESeq2 stops with an error and so does this class.
 */
public final class MedianOfRatios implements Normalization {

    @Override
    public String name() {
        return "median-of-ratios";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("type", "ratio", "locfunc", "median");
    }

    @Override
    public String units(String inputUnits) {
        return "normalized counts (DESeq2 size factors)";
    }

    /** Size factors; every value is checked to be a count. */
    public static double[] sizeFactors(MatrixStore s, NormalizeContext ctx) throws InputFormatException {
        int g = (int) s.rows();
        int n = s.cols();
        double[] libs = Counts.librarySizes(s, ctx, "median-of-ratios");
        Counts.requireNonZero(s, libs, "median-of-ratios");
        double[] logGeoMean = new double[g];
        // genes split among threads; each gene's sum in sample order, as alone
        StoreTransform.scan(s, ctx, (tile, r0) -> Parallel.forRange(ctx.threads(), tile.rows(), 256, (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                tile.copyRow(i, row, 0);
                double sum = 0;
                for (int j = 0; j < n; j++) sum += CountLogs.log(row[j]);
                logGeoMean[(int) (r0 + i)] = sum / n;
            }
        }));
        int usable = 0;
        for (double x : logGeoMean) if (Double.isFinite(x)) usable++;
        if (usable == 0)
            throw new InputFormatException(s.path(), "median-of-ratios: every gene has a zero count in some sample, so no "
                    + "gene has a geometric mean (DESeq2 stops here too); filter or use TMM");
        double[] sf = new double[n];
        ColumnPanels.scanArrays(s, ctx, (c0, width, panel) -> Parallel.forRange(ctx.threads(), width, 16, (from, to) -> {
            double[] ratios = new double[g];
            for (int k = from; k < to; k++) {
                int m = 0;
                int base = k * g;
                for (int i = 0; i < g; i++) {
                    float c = panel[base + i];
                    if (Double.isFinite(logGeoMean[i]) && c > 0) ratios[m++] = CountLogs.log(c) - logGeoMean[i];
                }
                sf[c0 + k] = Math.exp(Ranks.medianSelect(ratios, m));
            }
        }));
        return sf;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] sf = sizeFactors(in, ctx);
        return StoreTransform.mapRowArrays(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, from, to, cols) -> {
            for (int i = from; i < to; i++)
                for (int j = 0, p = i * cols; j < cols; j++, p++) dst[p] = (float) (src[p] / sf[j]);
        });
    }
}
