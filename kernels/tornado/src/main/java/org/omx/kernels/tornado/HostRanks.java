package org.omx.kernels.tornado;

import java.util.Arrays;
import org.omx.kernels.api.FloatMatrix;

/** Row ranks on the host (see {@link TornadoBackend#rowRanks} for why not on the device). */
final class HostRanks {

    private HostRanks() {
    }

    /**
     * Ranks each row: 1-based, ties get the average of the ranks they span, NaN stays NaN and is not
     * counted. Each value is sorted as one long: a sortable int image of the float above its column,
     * so one primitive sort orders by value and keeps the column.
     */
    static void rank(FloatMatrix a, FloatMatrix out) {
        int cols = a.cols();
        float[] row = new float[cols];
        long[] keys = new long[cols];
        for (int i = 0; i < a.rows(); i++) {
            a.copyRow(i, row, 0);
            int n = 0;
            for (int j = 0; j < cols; j++) {
                float x = row[j];
                if (x != x) continue;
                int bits = Float.floatToIntBits(x + 0f); // -0.0 + 0.0 is +0.0: the two zeros tie
                int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff;
                keys[n++] = ((long) sortable << 32) | j;
            }
            Arrays.sort(keys, 0, n);
            int lo = 0;
            while (lo < n) {
                int hi = lo;
                while (hi + 1 < n && (keys[hi + 1] >> 32) == (keys[lo] >> 32)) hi++;
                float rank = (lo + hi + 2) / 2f; // mean of ranks lo+1 .. hi+1
                for (int t = lo; t <= hi; t++) row[(int) keys[t]] = rank;
                lo = hi + 1;
            }
            out.setRow(i, row, 0);
        }
    }
}
