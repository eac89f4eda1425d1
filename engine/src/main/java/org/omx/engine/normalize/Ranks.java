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

    /**
     * The k-th smallest (0-based) of {@code v[0..n)}, by selection: permutes the range so that
     * {@code v[0..k) <= v[k] <= v(k..n)} and returns {@code v[k]}, the value sorting would put
     * there. Linear time on average; the values must not be NaN.
     */
    static double select(double[] v, int n, int k) {
        if (k < 0 || k >= n) throw new IndexOutOfBoundsException("k " + k + " outside 0.." + n);
        int l = 0;
        int m = n - 1;
        while (l < m) {
            if (m - l < 16) {
                for (int i = l + 1; i <= m; i++) {
                    double x = v[i];
                    int j = i - 1;
                    while (j >= l && v[j] > x) {
                        v[j + 1] = v[j];
                        j--;
                    }
                    v[j + 1] = x;
                }
                return v[k];
            }
            double a = v[l], b = v[(l + m) >>> 1], c = v[m];
            double x = a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
            int i = l;
            int j = m;
            do {
                while (v[i] < x) i++;
                while (x < v[j]) j--;
                if (i <= j) {
                    double t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    i++;
                    j--;
                }
            } while (i <= j);
            if (j < k) l = i;
            if (k < i) m = j;
        }
        return v[k];
    }

    /** Smallest of {@code v[from..n)}. */
    static double min(double[] v, int from, int n) {
        double m = v[from];
        for (int i = from + 1; i < n; i++) if (v[i] < m) m = v[i];
        return m;
    }

    /** {@link #quantile7} by selection: the same value, without sorting; permutes the range. */
    static double quantile7Select(double[] v, int n, double p) {
        double index = (n - 1) * p;
        int lo = (int) Math.floor(index);
        int hi = (int) Math.ceil(index);
        double h = index - lo;
        double vlo = select(v, n, lo);
        double vhi = hi == lo ? vlo : min(v, lo + 1, n);
        return (1 - h) * vlo + h * vhi;
    }

    /** {@link #median} by selection: the same value, without sorting; permutes the range. */
    static double medianSelect(double[] v, int n) {
        if (n == 0) return Double.NaN;
        if (n % 2 == 1) return select(v, n, n / 2);
        double lo = select(v, n, n / 2 - 1);
        return (lo + min(v, n / 2, n)) / 2;
    }
}
