package org.omx.engine.network;

import java.util.Arrays;

/**
 * The leading right singular vector of a features x samples matrix Z (an eigengene before its sign
 * is chosen), by power iteration on the Gram matrix of Z's smaller side: {@code Z^T Z} (samples x
 * samples) when Z has at least as many features as samples, else {@code Z Z^T} (features x features),
 * whose leading eigenvector v gives {@code u = Z^T v / |Z^T v|}. Started from Z u0 the second is the
 * first one step ahead ({@code Z^T (Z Z^T)^p Z u0 = (Z^T Z)^(p+1) u0}), so both converge to the same vector;
 * the Gram matrix costs {@code min(m, n)^2 max(m, n) / 2} multiply-adds and each step {@code min(m, n)^2}.
 *
 * <p>Plain loops in double, written as row updates ({@code w += a * row}) rather than dot products:
 * C2 vectorizes those, and C1 runs them at a useful speed while the code is still cold (the Vector
 * API is slow until C2 has compiled it, which a single CLI run rarely waits for).
 */
final class LeadingSingularVector {

    /** Convergence: the largest change of any entry of the unit vector between steps. */
    static final double TOLERANCE = 1e-12;
    /** Steps at most; the noise "module" of unassigned features has a small eigengap and takes hundreds. */
    static final int MAX_STEPS = 100_000;
    /** Steps on Z itself (2 m n each) before the Gram matrix (min(m, n)^2 max(m, n) / 2 once, then min(m, n)^2 a step). */
    static final int DIRECT_STEPS = 16;

    private LeadingSingularVector() {
    }

    /** Z's rows are {@code z[r][0 .. n)}; returns the unit vector over the n samples. */
    static double[] of(double[][] z, int n) {
        int m = z.length;
        double[] u = start(z, n);
        // a real module has a large eigengap and converges in a handful of steps of Z^T (Z u), far
        // cheaper than a Gram matrix; only a slow one (the unassigned features) goes on to the Gram matrix
        double[] w = new double[n];
        for (int it = 0; it < DIRECT_STEPS; it++) {
            Arrays.fill(w, 0);
            for (double[] row : z) axpy(dot(row, u, n), row, w, n);
            normalize(w);
            double diff = maxChange(w, u);
            System.arraycopy(w, 0, u, 0, n);
            if (diff < TOLERANCE) return u;
        }
        if (m >= n) return powerIteration(gram(z, n), u);
        double[][] zt = new double[n][m];
        for (int r = 0; r < m; r++) {
            double[] row = z[r];
            for (int j = 0; j < n; j++) zt[j][r] = row[j];
        }
        double[] v0 = new double[m];
        for (int r = 0; r < m; r++) v0[r] = dot(z[r], u, n);
        normalize(v0);
        double[] v = powerIteration(gram(zt, m), v0);
        double[] out = new double[n];
        for (int r = 0; r < m; r++) axpy(v[r], z[r], out, n);
        normalize(out);
        return out;
    }

    private static double maxChange(double[] a, double[] b) {
        double diff = 0;
        for (int j = 0; j < a.length; j++) diff = Math.max(diff, Math.abs(a[j] - b[j]));
        return diff;
    }

    /** The average profile plus a fixed perturbation: never orthogonal to the answer in practice. */
    private static double[] start(double[][] z, int n) {
        double[] u = new double[n];
        for (double[] row : z) axpy(1, row, u, n);
        for (int j = 0; j < n; j++) u[j] += 1e-3 * Math.sin(j + 1.0);
        normalize(u);
        return u;
    }

    /** Power iteration on the symmetric g from the unit vector u (overwritten). */
    private static double[] powerIteration(double[][] g, double[] u) {
        int k = u.length;
        double[] w = new double[k];
        for (int it = 0; it < MAX_STEPS; it++) {
            // w = G u as a sum of G's rows (G is symmetric)
            Arrays.fill(w, 0);
            for (int i = 0; i < k; i++) axpy(u[i], g[i], w, k);
            normalize(w);
            double diff = maxChange(w, u);
            System.arraycopy(w, 0, u, 0, k);
            if (diff < TOLERANCE) break;
        }
        return u;
    }

    /**
     * {@code sum_r row_r^T row_r} over the rows of y (each of length k): the k x k Gram matrix of y's
     * columns. Four rows per sweep over the upper triangle, so each entry is loaded and stored once
     * per four rows; then mirrored.
     */
    static double[][] gram(double[][] y, int k) {
        double[][] g = new double[k][k];
        int rows = y.length;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            double[] y0 = y[r], y1 = y[r + 1], y2 = y[r + 2], y3 = y[r + 3];
            for (int i = 0; i < k; i++) {
                double a0 = y0[i], a1 = y1[i], a2 = y2[i], a3 = y3[i];
                double[] gi = g[i];
                for (int j = i; j < k; j++) gi[j] += a0 * y0[j] + a1 * y1[j] + a2 * y2[j] + a3 * y3[j];
            }
        }
        for (; r < rows; r++) {
            double[] y0 = y[r];
            for (int i = 0; i < k; i++) {
                double a0 = y0[i];
                double[] gi = g[i];
                for (int j = i; j < k; j++) gi[j] += a0 * y0[j];
            }
        }
        for (int i = 0; i < k; i++) for (int j = 0; j < i; j++) g[i][j] = g[j][i];
        return g;
    }

    /** {@code y += a x} over the first n entries. */
    static void axpy(double a, double[] x, double[] y, int n) {
        for (int j = 0; j < n; j++) y[j] += a * x[j];
    }

    /** {@code sum_j a[j] b[j]} over j < n, in four partial sums (shorter dependency chains). */
    static double dot(double[] a, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) s0 += a[j] * b[j];
        return (s0 + s1) + (s2 + s3);
    }

    static void normalize(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        s = Math.sqrt(s);
        if (s > 0) for (int j = 0; j < v.length; j++) v[j] /= s;
    }
}
