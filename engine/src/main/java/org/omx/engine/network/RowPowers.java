package org.omx.engine.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops over one row of correlations (a heap copy of a features x features row): the
 * soft-threshold connectivities for every integer power in one sweep per power, and the adjacency
 * at one integer power.
 *
 * <p>Powers are built incrementally ({@code x^p = x^q x^(p - q)} from the previous power q), one or
 * two float multiplies per element and power instead of a {@code pow}. Sums run in float lanes over
 * chunks of {@link #CHUNK} columns (16 terms per lane on AVX-512) and in double across chunks, so a
 * row sum of g terms in [0, 1] carries a relative error of about 1e-6 at most.
 */
final class RowPowers {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
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

    /** {@code x[j] = type.base(r[j])} for j < n: |r|, (1 + r) / 2 or max(r, 0). */
    static void base(float[] r, float[] x, int n, NetworkType type) {
        int j = 0;
        for (int vn = S.loopBound(n); j < vn; j += L) {
            FloatVector v = FloatVector.fromArray(S, r, j);
            v = switch (type) {
                case UNSIGNED -> v.abs();
                case SIGNED -> v.add(1f).mul(0.5f);
                case SIGNED_HYBRID -> v.max(0f);
            };
            v.intoArray(x, j);
        }
        for (; j < n; j++) x[j] = (float) type.base(r[j]);
    }

    /**
     * {@code out[p] = sum_j x[j]^powers[p]} over j < n, for ascending integer powers; {@code pw} is
     * scratch of length n. The caller zeroes x at the entries to leave out (the diagonal).
     */
    static void powerSums(float[] x, int n, int[] powers, float[] pw, double[] out) {
        System.arraycopy(x, 0, pw, 0, n);
        int have = 1;
        for (int p = 0; p < powers.length; p++) {
            int step = powers[p] - have;
            double total = 0;
            for (int c0 = 0; c0 < n; c0 += CHUNK) {
                int c1 = Math.min(n, c0 + CHUNK);
                FloatVector acc = FloatVector.zero(S);
                int j = c0;
                for (int vn = c0 + S.loopBound(c1 - c0); j < vn; j += L) {
                    FloatVector v = FloatVector.fromArray(S, pw, j);
                    if (step > 0) {
                        FloatVector b = FloatVector.fromArray(S, x, j);
                        for (int s = 0; s < step; s++) v = v.mul(b);
                        v.intoArray(pw, j);
                    }
                    acc = acc.add(v);
                }
                double sum = acc.reduceLanes(VectorOperators.ADD);
                for (; j < c1; j++) {
                    float v = pw[j];
                    for (int s = 0; s < step; s++) v *= x[j];
                    pw[j] = v;
                    sum += v;
                }
                total += sum;
            }
            out[p] = total;
            have = powers[p];
        }
    }

    /**
     * The adjacency of a row of correlations in place: {@code base(r)^beta}, carrying the sign of r
     * when {@code keepSign} (a signed TOM on an unsigned network). beta is an integer in
     * [1, MAX_INTEGER_POWER], taken by repeated squaring in float (a few ulp from the exact power).
     */
    static void adjacency(float[] r, int n, NetworkType type, boolean keepSign, int beta) {
        int j = 0;
        for (int vn = S.loopBound(n); j < vn; j += L) {
            FloatVector v = FloatVector.fromArray(S, r, j);
            FloatVector b = switch (type) {
                case UNSIGNED -> v.abs();
                case SIGNED -> v.add(1f).mul(0.5f);
                case SIGNED_HYBRID -> v.max(0f);
            };
            FloatVector acc = FloatVector.broadcast(S, 1f);
            for (int e = beta; e > 0; e >>= 1) {
                if ((e & 1) != 0) acc = acc.mul(b);
                if (e > 1) b = b.mul(b);
            }
            if (keepSign) acc = acc.blend(acc.neg(), v.compare(VectorOperators.LT, 0f));
            acc.intoArray(r, j);
        }
        for (; j < n; j++) {
            float v = r[j];
            float b = (float) type.base(v);
            float acc = 1f;
            for (int e = beta; e > 0; e >>= 1) {
                if ((e & 1) != 0) acc *= b;
                if (e > 1) b *= b;
            }
            r[j] = keepSign && v < 0 ? -acc : acc;
        }
    }

    /** {@code sum_j |x[j]|} over j < n (float lanes per chunk, double across chunks). */
    static double absSum(float[] x, int n) {
        double total = 0;
        for (int c0 = 0; c0 < n; c0 += CHUNK) {
            int c1 = Math.min(n, c0 + CHUNK);
            FloatVector acc = FloatVector.zero(S);
            int j = c0;
            for (int vn = c0 + S.loopBound(c1 - c0); j < vn; j += L) acc = acc.add(FloatVector.fromArray(S, x, j).abs());
            double sum = acc.reduceLanes(VectorOperators.ADD);
            for (; j < c1; j++) sum += Math.abs(x[j]);
            total += sum;
        }
        return total;
    }
}
