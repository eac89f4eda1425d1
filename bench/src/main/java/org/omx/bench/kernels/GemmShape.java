package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

/**
 * A benchmark GEMM shape "MxNxK" (C is m x n, inner dimension k) with optional ":OPS". The
 * correlation shape 10000x10000x1000 is X X^T for a 10000 x 1000 standardized tile, so it defaults
 * to N,T; every other shape defaults to N,N.
 */
record GemmShape(int m, int n, int k, Op opA, Op opB) {

    static GemmShape parse(String spec) {
        String[] parts = spec.split(":");
        String[] d = parts[0].split("x");
        int m = Integer.parseInt(d[0]);
        int n = Integer.parseInt(d[1]);
        int k = Integer.parseInt(d[2]);
        String ops = parts.length > 1 ? parts[1] : (m == 10000 && n == 10000 && k == 1000 ? "NT" : "NN");
        return new GemmShape(m, n, k, Op.valueOf(ops.substring(0, 1)), Op.valueOf(ops.substring(1, 2)));
    }

    String label() {
        return m + "x" + n + "x" + k;
    }

    /** Floating-point operations of one GEMM: one multiply and one add per (i, j, p). */
    double flops() {
        return 2.0 * m * n * k;
    }

    /** A as stored for op(A) (m x k, or k x m when transposed), filled with seeded Gaussians. */
    FloatMatrix operandA(Arena arena) {
        return filled(opA == Op.N ? FloatMatrix.allocate(arena, m, k) : FloatMatrix.allocate(arena, k, m), 1);
    }

    /** B as stored for op(B) (k x n, or n x k when transposed), filled with seeded Gaussians. */
    FloatMatrix operandB(Arena arena) {
        return filled(opB == Op.N ? FloatMatrix.allocate(arena, k, n) : FloatMatrix.allocate(arena, n, k), 2);
    }

    private static FloatMatrix filled(FloatMatrix x, long seed) {
        fill(x, new SplittableRandom(seed));
        return x;
    }

    static void fill(FloatMatrix x, SplittableRandom rnd) {
        float[] row = new float[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < row.length; j++) row[j] = (float) rnd.nextGaussian();
            x.setRow(i, row, 0);
        }
    }
}
