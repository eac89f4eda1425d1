package org.omx.engine.normalize;

import java.util.Arrays;

/**
 * Ranks and order statistics in double precision, as R computes them: {@code rank(ties = "average")},
 * {@code quantile(type = 7)} and {@code median}. The backend's {@code rowRanks} works on float32
 * values; statistics derived in double (log ratios) must be ranked here so that values that differ
 * only beyond float precision are not tied.
 */
final class Ranks {

    private Ranks() {
    }

    /** 1-based average ranks of {@code v[0..n)} into {@code out}. */
    static void average(double[] v, int n, double[] out) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) out[idx[k]] = r;
            i = j + 1;
        }
    }

    /** R's {@code quantile(x, p, type = 7)} of {@code v[0..n)}; sorts that range in place. */
    static double quantile7(double[] v, int n, double p) {
        Arrays.sort(v, 0, n);
        double index = (n - 1) * p;
        int lo = (int) Math.floor(index);
        int hi = (int) Math.ceil(index);
        double h = index - lo;
        return (1 - h) * v[lo] + h * v[hi];
    }

    /** R's {@code median} of {@code v[0..n)}; sorts that range in place. NaN for n = 0. */
    static double median(double[] v, int n) {
        if (n == 0) return Double.NaN;
        Arrays.sort(v, 0, n);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
