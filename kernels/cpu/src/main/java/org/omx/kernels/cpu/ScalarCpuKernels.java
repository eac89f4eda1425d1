package org.omx.kernels.cpu;

import org.omx.kernels.api.ElementwiseOp;

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
    public void gemmTile(int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, float[] c, int cOff, int cRow) {
        for (int i = 0; i < MR; i++) java.util.Arrays.fill(c, cOff + i * cRow, cOff + i * cRow + NR, 0f);
        for (int p = 0; p < kc; p++) {
            for (int i = 0; i < MR; i++) {
                float ai = a[aOff + i * aRow + p * aStep];
                for (int j = 0; j < NR; j++) c[cOff + i * cRow + j] += ai * b[bOff + p * NR + j];
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
