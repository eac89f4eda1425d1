package org.omx.engine.factorize;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Thin QR of a tall matrix in double by Householder reflections (Golub and Van Loan, "Matrix
 * Computations", 4th ed., Algorithm 5.2.1), for the small dense pieces of the randomized methods:
 * re-orthonormalizing an n x l block between power iterations and the basis before Rayleigh-Ritz.
 * Householder rather than Gram-Schmidt or CholeskyQR because the blocks handed to it after power
 * iterations are badly conditioned (columns all leaning toward the top singular vector), and
 * Householder's Q is orthonormal to working precision whatever the condition number; a rank-deficient
 * block still yields orthonormal columns (the reflections complete the basis).
 *
 * <p>Matrices are column arrays: {@code a[j]} is column j, length {@code rows}.
 */
final class HouseholderQr {

    /** Q (rows x cols, orthonormal columns) and R (cols x cols upper triangular, {@code r[i][j]} row i). */
    record Result(double[][] q, double[][] r) {
    }

    private HouseholderQr() {
    }

    /** Factors {@code a} (not modified): rows >= cols. */
    static Result decompose(double[][] a) {
        return factor(a, true);
    }

    /** R only (Q is not formed): for the SVD of a tall block through its triangular factor. */
    static double[][] triangular(double[][] a) {
        return factor(a, false).r();
    }

    private static Result factor(double[][] a, boolean formQ) {
        int cols = a.length;
        int rows = cols == 0 ? 0 : a[0].length;
        if (rows < cols) throw new IllegalArgumentException("QR needs rows >= cols, got " + rows + "x" + cols);
        double[][] w = new double[cols][];
        for (int j = 0; j < cols; j++) w[j] = a[j].clone();
        double[][] v = new double[cols][];
        double[][] r = new double[cols][cols];
        for (int j = 0; j < cols; j++) {
            double[] x = w[j];
            double norm = Math.sqrt(LaneDot.dot(x, j, x, j, rows - j));
            double[] h = new double[rows];
            double alpha = x[j] >= 0 ? -norm : norm;
            if (norm > 0) {
                for (int i = j; i < rows; i++) h[i] = x[i];
                h[j] -= alpha;
                double hn = Math.sqrt(LaneDot.dot(h, j, h, j, rows - j));
                if (hn > 0) for (int i = j; i < rows; i++) h[i] /= hn;
                for (int c = j; c < cols; c++) reflect(h, w[c], j, rows);
            }
            v[j] = h;
            for (int i = 0; i <= j; i++) r[i][j] = w[j][i];
        }
        if (!formQ) return new Result(null, r);
        // Q = H_0 H_1 ... H_{cols-1} applied to the first cols columns of the identity
        double[][] q = new double[cols][rows];
        for (int c = 0; c < cols; c++) {
            q[c][c] = 1;
            for (int j = Math.min(c, cols - 1); j >= 0; j--) reflect(v[j], q[c], j, rows);
        }
        return new Result(q, r);
    }

    /** The orthonormal factor only. */
    static double[][] orthonormalize(double[][] a) {
        return decompose(a).q();
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * {@code x -= 2 h (h^T x)} over rows [from, rows), along the vector lanes: a QR of 5,000 x 30 makes
     * 930 of these, and the scalar dot product waited on each multiply-add (NNDSVD's 8 QRs took 60 ms
     * of a 0.4 s NMF, on one thread).
     */
    private static void reflect(double[] h, double[] x, int from, int rows) {
        double dot = LaneDot.dot(h, from, x, from, rows - from);
        if (dot == 0) return;
        double c = -2 * dot;
        var cv = DoubleVector.broadcast(D, c);
        int i = from, l = D.length();
        for (int vn = from + (rows - from) / l * l; i < vn; i += l)
            DoubleVector.fromArray(D, h, i).fma(cv, DoubleVector.fromArray(D, x, i)).intoArray(x, i);
        for (; i < rows; i++) x[i] += c * h[i];
    }
}
