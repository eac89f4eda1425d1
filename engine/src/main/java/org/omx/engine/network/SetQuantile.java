package org.omx.engine.network;

/**
 * The consensus of a few per-set values (one TOM entry, one eigengene correlation across the sets):
 * WGCNA's {@code consensusQuantile}, the type-7 quantile (R's default; linear interpolation between
 * order statistics), so 0 is the minimum, WGCNA's default and the strictest consensus.
 */
final class SetQuantile {

    private SetQuantile() {
    }

    /** Throws unless {@code q} is in [0, 1]. */
    static double check(double q) {
        if (!(q >= 0 && q <= 1)) throw new NetworkInputException("--consensus-quantile must be in [0, 1], got " + q);
        return q;
    }

    /** The type-7 {@code q} quantile of {@code v[0 .. k)}; sorts that prefix in place (k is the number of sets: a handful). */
    static double of(double[] v, int k, double q) {
        for (int i = 1; i < k; i++) {   // insertion sort: k is tiny
            double x = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > x) {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
        double h = (k - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= k - 1) return v[k - 1];
        return v[lo] + (h - lo) * (v[lo + 1] - v[lo]);
    }
}
