package org.omx.engine.normalize;

import java.util.Arrays;

/**
 * Cleveland's LOWESS smoother as R's {@code stats::lowess} computes it (the {@code clowess}
 * algorithm: local linear fits with tricube weights over the nearest {@code f n} points, fits only
 * at points more than {@code delta} apart with linear interpolation between them, then
 * {@code iter} robustness iterations with bisquare weights on residuals scaled by six median
 * absolute residuals). Written from the published algorithm (Cleveland 1979) and R's documented
 * behaviour; ties in x share one fit.
 */
public final class Lowess {

    /** The smoothed curve: x sorted ascending, y the fitted values at those x. */
    public record Curve(double[] x, double[] y) {
    }

    private Lowess() {
    }

    /** {@code lowess(x, y, f, iter, delta = 0.01 * diff(range(x)))}: sorts by x (stably) first. */
    public static Curve fit(double[] x, double[] y, double f, int iter) {
        int n = x.length;
        if (n != y.length) throw new IllegalArgumentException("x and y differ in length");
        if (n == 0) throw new IllegalArgumentException("lowess of no points");
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        double delta = 0.01 * (xs[n - 1] - xs[0]);
        return new Curve(xs, smoothSorted(xs, ys, f, iter, delta));
    }

    /** The fitted values for x already sorted ascending. */
    public static double[] smoothSorted(double[] x, double[] y, double f, int iter, double delta) {
        int n = x.length;
        double[] fit = new double[n];
        if (n < 2) {
            fit[0] = y[0];
            return fit;
        }
        int span = Math.max(2, Math.min(n, (int) (f * n + 1e-7)));
        double[] robust = new double[n];
        double[] resid = new double[n];
        double[] w = new double[n];
        for (int it = 1; it <= iter + 1; it++) {
            boolean useRobust = it > 1;
            int left = 0;
            int right = span - 1;
            int last = -1;
            int i = 0;
            while (true) {
                if (right < n - 1) {
                    // slide the window right while that does not widen it around x[i]
                    double dl = x[i] - x[left];
                    double dr = x[right + 1] - x[i];
                    if (dl > dr) {
                        left++;
                        right++;
                        continue;
                    }
                }
                if (!localFit(x, y, i, left, right, n, w, useRobust, robust, fit)) fit[i] = y[i];
                if (last < i - 1) {
                    double denom = x[i] - x[last];
                    for (int j = last + 1; j < i; j++) {
                        double a = (x[j] - x[last]) / denom;
                        fit[j] = a * fit[i] + (1 - a) * fit[last];
                    }
                }
                last = i;
                double cut = x[last] + delta;
                for (i = last + 1; i < n; i++) {
                    if (x[i] > cut) break;
                    if (x[i] == x[last]) {
                        fit[i] = fit[last];
                        last = i;
                    }
                }
                i = Math.max(last + 1, i - 1);
                if (last >= n - 1) break;
            }
            for (int k = 0; k < n; k++) resid[k] = y[k] - fit[k];
            if (it > iter) break;
            double meanAbs = 0;
            for (int k = 0; k < n; k++) meanAbs += Math.abs(resid[k]);
            meanAbs /= n;
            double[] abs = new double[n];
            for (int k = 0; k < n; k++) abs[k] = Math.abs(resid[k]);
            Arrays.sort(abs);
            int m1 = n / 2;
            double cmad = n % 2 == 0 ? 3 * (abs[m1] + abs[n - m1 - 1]) : 6 * abs[m1];
            if (cmad < 1e-7 * meanAbs) break;
            double c9 = 0.999 * cmad;
            double c1 = 0.001 * cmad;
            for (int k = 0; k < n; k++) {
                double r = Math.abs(resid[k]);
                if (r <= c1) robust[k] = 1;
                else if (r <= c9) {
                    double u = r / cmad;
                    robust[k] = (1 - u * u) * (1 - u * u);
                } else robust[k] = 0;
            }
        }
        return fit;
    }

    /** Weighted local linear fit at x[i] over the window from {@code left}; false if all weights are 0. */
    private static boolean localFit(double[] x, double[] y, int i, int left, int right, int n, double[] w,
                                    boolean useRobust, double[] robust, double[] fit) {
        double xi = x[i];
        double range = x[n - 1] - x[0];
        // radius: the larger distance to the window's ends; points tied with the right end join in
        double h = Math.max(xi - x[left], x[right] - xi);
        double h9 = 0.999 * h;
        double h1 = 0.001 * h;
        double a = 0;
        int j = left;
        for (; j < n; j++) {
            w[j] = 0;
            double r = Math.abs(x[j] - xi);
            if (r <= h9) {
                w[j] = r <= h1 ? 1 : cube(1 - cube(r / h));
                if (useRobust) w[j] *= robust[j];
                a += w[j];
            } else if (x[j] > xi) break;
        }
        int end = j - 1;
        if (a <= 0) return false;
        for (j = left; j <= end; j++) w[j] /= a;
        if (h > 0) {
            double c = 0;
            double mean = 0;
            for (j = left; j <= end; j++) mean += w[j] * x[j];
            double b = xi - mean;
            for (j = left; j <= end; j++) c += w[j] * (x[j] - mean) * (x[j] - mean);
            if (Math.sqrt(c) > 0.001 * range) {
                b /= c;
                for (j = left; j <= end; j++) w[j] *= b * (x[j] - mean) + 1;
            }
        }
        double s = 0;
        for (j = left; j <= end; j++) s += w[j] * y[j];
        fit[i] = s;
        return true;
    }

    private static double cube(double v) {
        return v * v * v;
    }
}
