package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

import java.util.Locale;

/**
 * Checks and per-sample totals for methods defined on counts (edgeR, DESeq2, TSS): every value must
 * be a finite, non-negative whole number, and no sample may be all zero (its library size would
 * divide by zero and its log ratios would all be undefined). Violations are errors naming the
 * feature and the sample, never NaN in the output.
 */
public final class Counts {

    private Counts() {
    }

    /** Throws on a value that is not a count. */
    public static void check(MatrixStore s, FloatMatrix tile, long firstRow, String method) throws InputFormatException {
        float[] row = new float[tile.cols()];
        for (int i = 0; i < tile.rows(); i++) {
            tile.copyRow(i, row, 0);
            int bad = firstNonCount(row);
            if (bad < 0) continue;
            float v = row[bad];
            String what = Float.isNaN(v) ? "a missing value" : v < 0 ? "negative value " + fmt(v)
                    : Float.isInfinite(v) ? "an infinite value" : "non-integer value " + fmt(v);
            throw new InputFormatException(s.path(), method + " needs non-negative integer counts, found " + what
                    + " at feature " + s.featureIds().get((int) (firstRow + i)) + ", sample " + s.sampleIds().get(bad));
        }
    }

    /** Index of the first value that is not a finite, non-negative whole number; -1 if none. */
    private static int firstNonCount(float[] row) {
        boolean ok = true;
        for (float v : row) ok &= v >= 0 && v == Math.rint(v) && v != Float.POSITIVE_INFINITY;
        if (ok) return -1;
        for (int j = 0; j < row.length; j++) {
            float v = row[j];
            if (!(v >= 0 && v == Math.rint(v) && v != Float.POSITIVE_INFINITY)) return j;
        }
        return -1;
    }

    /** Column sums (library sizes) in double, checking every value is a count. */
    public static double[] librarySizes(MatrixStore s, NormalizeContext ctx, String method) throws InputFormatException {
        double[] lib = new double[s.cols()];
        double[] part = new double[s.cols()];
        StoreTransform.scan(s, ctx, (tile, r0) -> {
            check(s, tile, r0, method);
            ctx.backend().reduce(tile, org.omx.kernels.api.Reduction.SUM, org.omx.kernels.api.Axis.COLUMNS, part);
            for (int j = 0; j < part.length; j++) lib[j] += part[j];
        });
        return lib;
    }

    /** Throws when a sample has no counts at all. */
    public static void requireNonZero(MatrixStore s, double[] lib, String method) throws InputFormatException {
        for (int j = 0; j < lib.length; j++)
            if (lib[j] <= 0) throw new InputFormatException(s.path(), method + ": sample " + s.sampleIds().get(j)
                    + " has no counts (all zero); remove it before normalizing");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", (float) v);
    }
}
