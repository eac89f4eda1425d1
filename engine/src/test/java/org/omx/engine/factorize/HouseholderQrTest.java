package org.omx.engine.factorize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HouseholderQrTest {

    /**
     * Q^T Q = I and QR = A checked in plain double loops, R upper triangular; row counts around the
     * vector width (odd tails), a badly conditioned block (columns leaning on one direction, as after
     * power iterations) and a rank-deficient one. Tolerances: 1e-12 for orthonormality, 1e-12 of the
     * largest |a| for the reconstruction.
     */
    @Test
    void q_is_orthonormal_and_reproduces_the_block() {
        Random rng = new Random(5);
        for (int rows : new int[]{7, 8, 9, 33, 1001}) {
            int cols = Math.min(rows, 6);
            for (String kind : new String[]{"gaussian", "leaning", "rank-deficient"}) {
                double[][] a = new double[cols][rows];
                double[] common = new double[rows];
                for (int i = 0; i < rows; i++) common[i] = rng.nextGaussian();
                for (int j = 0; j < cols; j++)
                    for (int i = 0; i < rows; i++)
                        a[j][i] = switch (kind) {
                            case "gaussian" -> rng.nextGaussian();
                            case "leaning" -> 1e6 * common[i] + rng.nextGaussian();
                            default -> j == cols - 1 ? a[0][i] - 2 * a[1 % cols][i] : rng.nextGaussian();
                        };
                HouseholderQr.Result qr = HouseholderQr.decompose(a);
                String at = rows + " rows, " + kind;
                double maxA = 0;
                for (double[] col : a) for (double v : col) maxA = Math.max(maxA, Math.abs(v));
                for (int p = 0; p < cols; p++) {
                    for (int q = 0; q < cols; q++) {
                        double dot = 0;
                        for (int i = 0; i < rows; i++) dot += qr.q()[p][i] * qr.q()[q][i];
                        assertEquals(p == q ? 1 : 0, dot, 1e-12, "Q^T Q at " + p + "," + q + ", " + at);
                        if (q < p) assertEquals(0, qr.r()[p][q], 0, "R below the diagonal, " + at);
                    }
                    for (int i = 0; i < rows; i++) {
                        double s = 0;
                        for (int t = 0; t <= p; t++) s += qr.q()[t][i] * qr.r()[t][p];
                        assertEquals(a[p][i], s, 1e-12 * maxA, "QR at row " + i + " column " + p + ", " + at);
                    }
                }
            }
        }
    }
}
