package org.omx.engine.factorize;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.omx.kernels.api.FloatMatrix;

import java.util.concurrent.ForkJoinPool;

/**
 * Row means and sample variances of a tile in double, on the host, as the backend's
 * {@code rowMeanVariance} defines them (two passes, the Chan-Golub-LeVeque correction, NaN skipped and
 * counted), summed along the vector lanes in double: the first pass of a randomized SVD spent as long
 * in the one-chain scalar loop of the CPU backend as in its products (JFR, 100,000 x 2,000). Rows with
 * missing values take a scalar path that skips them.
 */
final class HostMoments {

    private HostMoments() {
    }

    static void compute(FloatMatrix tile, double[] mean, double[] variance, int[] count, ForkJoinPool pool) {
        compute(tile, mean, variance, count, pool, true);
    }

    /**
     * With {@code centered} false only the sum of squares matters (an uncentered SVD's total):
     * one sweep of sums and sums of squares, the variance given as {@code (sum x^2 - n mean^2) / (n - 1)}
     * so that {@code (n - 1) variance + n mean^2} is the sum of squares; rows with NaN take the
     * two-sweep path as before.
     */
    static void compute(FloatMatrix tile, double[] mean, double[] variance, int[] count, ForkJoinPool pool, boolean centered) {
        int t = tile.rows(), n = tile.cols();
        int rowsPerTask = 16;
        SkinnyProducts.parallel(pool, (t + rowsPerTask - 1) / rowsPerTask, (b0, b1) -> {
            float[] row = new float[n];
            for (int i = b0 * rowsPerTask; i < Math.min(t, b1 * rowsPerTask); i++) {
                tile.copyRow(i, row, 0);
                if (centered || !uncentered(row, n, i, mean, variance, count)) row(row, n, i, mean, variance, count);
            }
        });
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats per step: one float vector, widened into two double vectors. */
    private static final int STEP = F.length();

    /**
     * One sweep; false where the row has NaN (left to {@link #row}). Along the vector lanes, each float
     * vector widened into two double vectors: 18 GB/s of rows on one core here, against 3.2 GB/s for
     * the scalar loop with two chains. Lanes are summed in lane order ({@link LaneDot#sum}).
     */
    static boolean uncentered(float[] x, int n, int i, double[] mean, double[] variance, int[] count) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, q0 = s0, q1 = s0;
        int j = 0;
        if (STEP == 2 * D.length())
            for (; j + STEP <= n; j += STEP) {
                FloatVector v = FloatVector.fromArray(F, x, j);
                DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
                s0 = s0.add(lo);
                s1 = s1.add(hi);
                q0 = lo.fma(lo, q0);
                q1 = hi.fma(hi, q1);
            }
        double sum = LaneDot.sum(s0.add(s1)), ss = LaneDot.sum(q0.add(q1));
        for (; j < n; j++) {
            sum += x[j];
            ss += (double) x[j] * x[j];
        }
        if (sum != sum || ss != ss) return false;
        double mu = sum / n;
        mean[i] = mu;
        variance[i] = n < 2 ? Double.NaN : (ss - n * mu * mu) / (n - 1);
        count[i] = n;
        return true;
    }

    /** The row's plain sum, along the lanes as in {@link #uncentered}; NaN if it has missing values. */
    private static double sum(float[] x, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
        int j = 0;
        if (STEP == 2 * D.length())
            for (; j + STEP <= n; j += STEP) {
                FloatVector v = FloatVector.fromArray(F, x, j);
                s0 = s0.add(v.convertShape(VectorOperators.F2D, D, 0));
                s1 = s1.add(v.convertShape(VectorOperators.F2D, D, 1));
            }
        double sum = LaneDot.sum(s0.add(s1));
        for (; j < n; j++) sum += x[j];
        return sum;
    }

    static void row(float[] x, int n, int i, double[] mean, double[] variance, int[] count) {
        double sum = sum(x, n);
        int c = n;
        if (sum != sum) {
            // missing values (NaN): the slow path, skipping them
            sum = 0;
            c = 0;
            for (float v : x) if (v == v) {
                sum += v;
                c++;
            }
        }
        double mu = c == 0 ? Double.NaN : sum / c;
        double q0 = 0, q1 = 0, d0 = 0, d1 = 0;
        if (c == n) {
            int j = 0;
            DoubleVector vq0 = DoubleVector.zero(D), vq1 = vq0, vd0 = vq0, vd1 = vq0, vmu = DoubleVector.broadcast(D, mu);
            if (STEP == 2 * D.length())
                for (; j + STEP <= n; j += STEP) {
                    FloatVector v = FloatVector.fromArray(F, x, j);
                    DoubleVector lo = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).sub(vmu);
                    DoubleVector hi = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).sub(vmu);
                    vq0 = lo.fma(lo, vq0);
                    vq1 = hi.fma(hi, vq1);
                    vd0 = vd0.add(lo);
                    vd1 = vd1.add(hi);
                }
            q0 = LaneDot.sum(vq0.add(vq1));
            d0 = LaneDot.sum(vd0.add(vd1));
            for (; j < n; j++) {
                double a = x[j] - mu;
                q0 += a * a;
                d0 += a;
            }
        } else {
            for (float v : x)
                if (v == v) {
                    double a = v - mu;
                    q0 += a * a;
                    d0 += a;
                }
        }
        double ss = q0 + q1, corr = d0 + d1;
        mean[i] = mu;
        variance[i] = c < 2 ? Double.NaN : (ss - corr * corr / c) / (c - 1);
        count[i] = c;
    }
}
