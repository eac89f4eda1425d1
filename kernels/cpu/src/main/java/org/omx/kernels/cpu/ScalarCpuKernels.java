package org.omx.kernels.cpu;

import java.lang.foreign.MemorySegment;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;

/** The plain-Java fallback when the Vector API is unavailable: readable, correct, not fast. */
final class ScalarCpuKernels implements CpuKernels {

    private static final int MR = 4;
    private static final int NR = 8;

    private final String why;

    ScalarCpuKernels(String why) {
        this.why = why;
    }

    @Override public int mr() { return MR; }
    @Override public int nr() { return NR; }
    @Override public int mr64() { return MR; }
    @Override public int nr64() { return NR; }

    @Override public int floatLanes() { return 1; }

    @Override
    public String description() {
        return "scalar fallback (" + why + ")";
    }

    @Override
    public void gemmTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < MR; i++) {
                float ai = a[aOff + p * MR + i];
                for (int j = 0; j < NR; j++) tile[i * NR + j] += ai * b[bOff + p * NR + j];
            }
        }
    }

    @Override
    public void updateC(float[] tile, int rows, int cols, float alpha, float beta, MemorySegment c, long off,
                        long rowStrideBytes) {
        for (int i = 0; i < rows; i++) {
            long o = off + i * rowStrideBytes;
            for (int j = 0; j < cols; j++) {
                float v = alpha * tile[i * NR + j];
                if (beta != 0f) v += beta * c.get(FloatMatrix.FLOAT, o + 4L * j);
                c.set(FloatMatrix.FLOAT, o + 4L * j, v);
            }
        }
    }

    @Override
    public void gemmTile64(int kc, double[] a, int aOff, double[] b, int bOff, double[] acc, int accOff, int accStride) {
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < MR; i++) {
                double ai = a[aOff + p * MR + i];
                int row = accOff + i * accStride;
                for (int j = 0; j < NR; j++) acc[row + j] += ai * b[bOff + p * NR + j];
            }
        }
    }

    @Override
    public void map(ElementwiseOp op, float[] x, int n, double p1, double p2) {
        for (int i = 0; i < n; i++) x[i] = (float) op.apply(x[i], p1, p2);
    }
}
