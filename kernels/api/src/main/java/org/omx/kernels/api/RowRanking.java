package org.omx.kernels.api;

import java.util.Arrays;

/**
 * The host-side ranking that {@link Backend#rowRanks} defines: 1-based ranks within a row, ties
 * given the average of the ranks they span (R's {@code rank(ties.method = "average")}), NaN left
 * NaN and not counted, -0.0 tied with 0.0. One implementation for every backend: the CPU backend
 * calls {@link #rankInPlace} from its worker threads, and device backends, whose sorts would not
 * pay for the transfers, call {@link #rankRows}.
 */
public final class RowRanking {

    private RowRanking() {
    }

    /**
     * Replaces {@code row[0 .. cols)} by its ranks. {@code keys} is scratch of at least {@code cols}
     * longs: each value is sorted as one long, a sortable int image of the float above its column,
     * so one primitive sort orders by value and keeps the column.
     */
    public static void rankInPlace(float[] row, int cols, long[] keys) {
        int n = 0;
        for (int j = 0; j < cols; j++) {
            float x = row[j];
            if (x != x) continue;
            int bits = Float.floatToRawIntBits(x == 0f ? 0f : x); // -0.0 ties with 0.0
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
            keys[n++] = ((long) ordered << 32) | j;
        }
        Arrays.sort(keys, 0, n);
        for (int lo = 0; lo < n; ) {
            int hi = lo + 1;
            while (hi < n && (keys[hi] >>> 32) == (keys[lo] >>> 32)) hi++;
            float rank = (float) ((lo + 1 + hi) / 2.0); // average of ranks lo+1 .. hi
            for (int t = lo; t < hi; t++) row[(int) keys[t]] = rank;
            lo = hi;
        }
    }

    /** Ranks every row of {@code a} into {@code out} (same shape; may be {@code a}) on the calling thread. */
    public static void rankRows(FloatMatrix a, FloatMatrix out) {
        if (a.rows() != out.rows() || a.cols() != out.cols())
            throw new IllegalArgumentException("shapes differ: " + a.rows() + "x" + a.cols() + " vs " + out.rows() + "x" + out.cols());
        int cols = a.cols();
        float[] row = new float[cols];
        long[] keys = new long[cols];
        for (int i = 0; i < a.rows(); i++) {
            a.copyRow(i, row, 0);
            rankInPlace(row, cols, keys);
            out.setRow(i, row, 0);
        }
    }
}
