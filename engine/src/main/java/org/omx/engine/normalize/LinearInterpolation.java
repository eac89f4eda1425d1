package org.omx.engine.normalize;

import java.util.Arrays;

/**
 * Piecewise-linear interpolation through points sorted by x, as R's
 * {@code approxfun(x, y, rule = 2, ties = list("ordered", mean))}: points with equal x are
 * collapsed to one, at the mean of their y; outside the range the end values are returned.
 */
public final class LinearInterpolation {

    private final double[] x;
    private final double[] y;

    /** {@code x} ascending (ties allowed), {@code y} the values at those x. */
    public LinearInterpolation(double[] x, double[] y) {
        if (x.length == 0 || x.length != y.length) throw new IllegalArgumentException("need matching, non-empty x and y");
        double[] ux = new double[x.length];
        double[] uy = new double[x.length];
        int m = 0;
        for (int i = 0; i < x.length; ) {
            if (i > 0 && x[i] < x[i - 1]) throw new IllegalArgumentException("x not sorted at " + i);
            int j = i;
            double sum = 0;
            while (j < x.length && x[j] == x[i]) sum += y[j++];
            ux[m] = x[i];
            uy[m++] = sum / (j - i);
            i = j;
        }
        this.x = Arrays.copyOf(ux, m);
        this.y = Arrays.copyOf(uy, m);
    }

    public double at(double v) {
        int n = x.length;
        if (Double.isNaN(v)) return Double.NaN;
        if (v <= x[0]) return y[0];
        if (v >= x[n - 1]) return y[n - 1];
        int i = Arrays.binarySearch(x, v);
        if (i >= 0) return y[i];
        int hi = -i - 1;
        int lo = hi - 1;
        return y[lo] + (y[hi] - y[lo]) * ((v - x[lo]) / (x[hi] - x[lo]));
    }
}
