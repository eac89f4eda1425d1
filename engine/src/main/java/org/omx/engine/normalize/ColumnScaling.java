package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The output pass shared by per-sample methods: {@code out[i][j] = in[i][j] * scale[j] + shift[j]}.
 * There is no per-column affine primitive in the Backend SPI ({@code scaleRows} is per row); a
 * {@code scaleColumns} would move this pass onto the backend. Missing values stay missing.
 */
final class ColumnScaling {

    private ColumnScaling() {
    }

    static StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx, Normalization method,
                           double[] scale, double[] shift) throws IOException, InputFormatException {
        return StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, method), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++)
                for (int j = 0; j < src.cols(); j++) dst.set(i, j, (float) (src.get(i, j) * scale[j] + shift[j]));
        });
    }

    /** Column medians over non-missing values (column panels); NaN for a sample with no value. */
    static double[] medians(MatrixStore s, NormalizeContext ctx) throws InputFormatException {
        int g = (int) s.rows();
        double[] med = new double[s.cols()];
        double[] buf = new double[g];
        ColumnPanels.scan(s, ctx, (c0, panel) -> {
            for (int k = 0; k < panel.rows(); k++) {
                int m = 0;
                for (int i = 0; i < g; i++) {
                    float v = panel.get(k, i);
                    if (!Float.isNaN(v)) buf[m++] = v;
                }
                med[c0 + k] = Ranks.median(buf, m);
            }
        });
        return med;
    }

    /** Throws when a sample has no value at all. */
    static void requireValues(MatrixStore s, double[] perSample, String method, String what) throws InputFormatException {
        for (int j = 0; j < perSample.length; j++)
            if (!Double.isFinite(perSample[j]))
                throw new InputFormatException(s.path(), method + ": sample " + s.sampleIds().get(j) + " has no " + what);
    }
}
