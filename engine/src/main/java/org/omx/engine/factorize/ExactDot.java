package org.omx.engine.factorize;

/** Dot products of double vectors (plain loop; the small dense pieces only). */
final class ExactDot {

    private ExactDot() {
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }
}
