package org.omx.engine.factorize;

/**
 * SVD of a small dense matrix in double by one-sided Jacobi rotations (Hestenes 1958; Demmel and
 * Veselic 1992 show it computes small singular values to high relative accuracy): column pairs are
 * rotated until every pair is orthogonal to {@code 1e-15} relative, then the column norms are the
 * singular values. Used on the l x l triangular factor of the randomized range and on the k x k
 * pieces of NMF initialization; O(cols^2 rows) per sweep, a handful of sweeps.
 *
 * <p>Matrices are column arrays: {@code a[j]} is column j, length {@code rows}, rows >= cols.
 */
final class JacobiSvd {

    /** {@code a = u diag(s) v^T}, singular values descending; u and v as column arrays. */
    record Result(double[][] u, double[] s, double[][] v) {
    }

    private static final double TOLERANCE = 1e-15;
    private static final int MAX_SWEEPS = 60;

    private JacobiSvd() {
    }

    static Result decompose(double[][] a) {
        int n = a.length;
        int m = n == 0 ? 0 : a[0].length;
        double[][] u = new double[n][];
        for (int j = 0; j < n; j++) u[j] = a[j].clone();
        double[][] v = new double[n][n];
        for (int j = 0; j < n; j++) v[j][j] = 1;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    double[] up = u[p], uq = u[q];
                    for (int i = 0; i < m; i++) {
                        alpha += up[i] * up[i];
                        beta += uq[i] * uq[i];
                        gamma += up[i] * uq[i];
                    }
                    if (gamma == 0 || Math.abs(gamma) <= TOLERANCE * Math.sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(up, uq, c, s);
                    rotate(v[p], v[q], c, s);
                }
            }
            if (!rotated) break;
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (double x : u[j]) norm += x * x;
            sv[j] = Math.sqrt(norm);
            if (sv[j] > 0) for (int i = 0; i < m; i++) u[j][i] /= sv[j];
        }
        // sort descending
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[][] us = new double[n][], vs = new double[n][];
        double[] ss = new double[n];
        for (int j = 0; j < n; j++) {
            us[j] = u[order[j]];
            vs[j] = v[order[j]];
            ss[j] = sv[order[j]];
        }
        return new Result(us, ss, vs);
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i], b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }
}
