package org.omx.engine.factorize;

import java.util.Arrays;

/**
 * The reference for the randomized methods: a full SVD in double by one-sided Jacobi rotations
 * (Hestenes), written plainly, with no shortcut: rotate column pairs of the n x m transpose until
 * all are orthogonal. Small inputs only.
 */
final class ExactSvd {

    final double[] s;
    /** Left singular vectors over the rows of the input, {@code u[j]}. */
    final double[][] u;
    /** Right singular vectors over the columns of the input, {@code v[j]}. */
    final double[][] v;

    /** SVD of {@code a} (rows x cols, {@code a[i][j]}). */
    ExactSvd(double[][] a) {
        int rows = a.length, cols = a[0].length;
        // work on the columns of a: G = a (columns), V accumulates rotations: a V = U S
        double[][] g = new double[cols][rows];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) g[j][i] = a[i][j];
        double[][] vv = new double[cols][cols];
        for (int j = 0; j < cols; j++) vv[j][j] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < cols; p++)
                for (int q = p + 1; q < cols; q++) {
                    double al = dot(g[p], g[p]), be = dot(g[q], g[q]), ga = dot(g[p], g[q]);
                    if (ga == 0) continue;
                    off = Math.max(off, Math.abs(ga) / Math.sqrt(al * be));
                    double zeta = (be - al) / (2 * ga);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t), sn = c * t;
                    rot(g[p], g[q], c, sn);
                    rot(vv[p], vv[q], c, sn);
                }
            if (off < 1e-15) break;
        }
        double[] norms = new double[cols];
        for (int j = 0; j < cols; j++) norms[j] = Math.sqrt(dot(g[j], g[j]));
        Integer[] order = new Integer[cols];
        for (int j = 0; j < cols; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        s = new double[cols];
        u = new double[cols][];
        v = new double[cols][];
        for (int j = 0; j < cols; j++) {
            int o = order[j];
            s[j] = norms[o];
            u[j] = new double[rows];
            for (int i = 0; i < rows; i++) u[j][i] = norms[o] > 0 ? g[o][i] / norms[o] : 0;
            v[j] = vv[o];
        }
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    private static void rot(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i], b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /**
     * Cosine of the largest principal angle between the spans of two sets of k orthonormal vectors:
     * the smallest singular value of {@code X^T Y} (Bjorck and Golub 1973).
     */
    static double cosLargestAngle(double[][] x, double[][] y, int k) {
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) c[i][j] = dot(x[i], y[j]);
        double[] sv = new ExactSvd(c).s;
        return sv[k - 1];
    }
}
