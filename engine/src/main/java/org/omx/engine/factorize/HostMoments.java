package org.omx.engine.factorize;

import org.omx.kernels.api.FloatMatrix;

import java.util.concurrent.ForkJoinPool;

/**
 * Row means and sample variances of a tile in double, on the host, as the backend's
 * {@code rowMeanVariance} defines them (two passes, the Chan-Golub-LeVeque correction, NaN skipped and
 * counted), with four partial sums per pass instead of one: the first pass of a randomized SVD spent
 * as long in the one-chain scalar loop of the CPU backend as in its products (JFR, 100,000 x 2,000).
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

    /** One sweep; false where the row has NaN (left to {@link #row}). */
    static boolean uncentered(float[] x, int n, int i, double[] mean, double[] variance, int[] count) {
        double s0 = 0, s1 = 0, q0 = 0, q1 = 0;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            double a = x[j], b = x[j + 1];
            s0 += a;
            s1 += b;
            q0 += a * a;
            q1 += b * b;
        }
        for (; j < n; j++) {
            s0 += x[j];
            q0 += (double) x[j] * x[j];
        }
        double sum = s0 + s1, ss = q0 + q1;
        if (sum != sum || ss != ss) return false;
        double mu = sum / n;
        mean[i] = mu;
        variance[i] = n < 2 ? Double.NaN : (ss - n * mu * mu) / (n - 1);
        count[i] = n;
        return true;
    }

    static void row(float[] x, int n, int i, double[] mean, double[] variance, int[] count) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += x[j];
            s1 += x[j + 1];
            s2 += x[j + 2];
            s3 += x[j + 3];
        }
        for (; j < n; j++) s0 += x[j];
        double sum = (s0 + s1) + (s2 + s3);
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
            j = 0;
            for (; j + 1 < n; j += 2) {
                double a = x[j] - mu, b = x[j + 1] - mu;
                q0 += a * a;
                q1 += b * b;
                d0 += a;
                d1 += b;
            }
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
