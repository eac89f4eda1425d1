package org.omx.engine.network;

/**
 * Loops over one row of correlations (a heap copy of a features x features row): the soft-threshold
 * connectivities for every integer power in one sweep per power, and the adjacency at one integer
 * power.
 *
 * <p>Plain loops, not the Vector API: a CLI run of a few seconds spends much of the adjacency pass
 * before C2 has compiled these methods, and Vector API code runs with boxed lanes until then (tens
 * of times slower than scalar code in C1). C2 vectorizes the element-wise multiplies by itself; the
 * sums run in eight float accumulators (independent chains) over chunks of {@link #CHUNK} columns and
 * in double across chunks, so a row sum of g terms in [0, 1] carries a relative error of about 1e-6
 * at most.
 *
 * <p>Powers are built incrementally ({@code x^p = x^q x^(p - q)} from the previous power q), one or
 * two float multiplies per element and power instead of a {@code pow}.
 */
final class RowPowers {

    /** Columns summed in float before the partial sum moves to double. */
    static final int CHUNK = 256;
    /** Largest integer power taken by multiplication; above it, Math.pow. */
    static final int MAX_INTEGER_POWER = 64;

    private RowPowers() {
    }

    /** True when every power is an integer in [1, MAX_INTEGER_POWER]. */
    static boolean integral(double[] powers) {
        for (double p : powers) if (p != Math.rint(p) || p < 1 || p > MAX_INTEGER_POWER) return false;
        return true;
    }

    /** {@code x[j] = type.base(r[j])} for j < n: |r|, (1 + r) / 2 or max(r, 0), in float. */
    static void base(float[] r, float[] x, int n, NetworkType type) {
        switch (type) {
            case UNSIGNED -> {
                for (int j = 0; j < n; j++) x[j] = Math.abs(r[j]);
            }
            case SIGNED -> {
                for (int j = 0; j < n; j++) x[j] = (r[j] + 1f) * 0.5f;
            }
            case SIGNED_HYBRID -> {
                for (int j = 0; j < n; j++) x[j] = Math.max(r[j], 0f);
            }
        }
    }

    /**
     * {@code out[p] = sum_j x[j]^powers[p]} over j < n, for ascending integer powers; {@code pw} is
     * scratch of length n. The caller zeroes x at the entries to leave out (the diagonal).
     */
    static void powerSums(float[] x, int n, int[] powers, float[] pw, double[] out) {
        System.arraycopy(x, 0, pw, 0, n);
        int have = 1;
        for (int p = 0; p < powers.length; p++) {
            for (int s = have; s < powers[p]; s++) for (int j = 0; j < n; j++) pw[j] *= x[j];
            out[p] = sum(pw, n);
            have = powers[p];
        }
    }

    /** {@code sum_j x[j]} over j < n: eight float accumulators per chunk, double across chunks. */
    static double sum(float[] x, int n) {
        double total = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int c1 = Math.min(n, c0 + CHUNK);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int j = c0;
            for (; j + 8 <= c1; j += 8) {
                s0 += x[j];
                s1 += x[j + 1];
                s2 += x[j + 2];
                s3 += x[j + 3];
                s4 += x[j + 4];
                s5 += x[j + 5];
                s6 += x[j + 6];
                s7 += x[j + 7];
            }
            for (; j < c1; j++) s0 += x[j];
            total += (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        return total;
    }

    /**
     * The adjacency of a row of correlations in place: {@code base(r)^beta}, carrying the sign of r
     * when {@code keepSign} (a signed TOM on an unsigned network). beta is an integer in
     * [1, MAX_INTEGER_POWER], taken by repeated squaring in float (a few ulp from the exact power).
     */
    static void adjacency(float[] r, int n, NetworkType type, boolean keepSign, int beta) {
        for (int j = 0; j < n; j++) {
            float v = r[j];
            float b = switch (type) {
                case UNSIGNED -> Math.abs(v);
                case SIGNED -> (v + 1f) * 0.5f;
                case SIGNED_HYBRID -> Math.max(v, 0f);
            };
            float acc = 1f;
            for (int e = beta; e > 0; e >>= 1) {
                if ((e & 1) != 0) acc *= b;
                if (e > 1) b *= b;
            }
            r[j] = keepSign && v < 0 ? -acc : acc;
        }
    }

    /** {@code sum_j |x[j]|} over j < n (as {@link #sum}). */
    static double absSum(float[] x, int n) {
        double total = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int c1 = Math.min(n, c0 + CHUNK);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int j = c0;
            for (; j + 8 <= c1; j += 8) {
                s0 += Math.abs(x[j]);
                s1 += Math.abs(x[j + 1]);
                s2 += Math.abs(x[j + 2]);
                s3 += Math.abs(x[j + 3]);
                s4 += Math.abs(x[j + 4]);
                s5 += Math.abs(x[j + 5]);
                s6 += Math.abs(x[j + 6]);
                s7 += Math.abs(x[j + 7]);
            }
            for (; j < c1; j++) s0 += Math.abs(x[j]);
            total += (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        return total;
    }
}
