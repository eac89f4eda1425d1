package org.omx.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.omx.kernels.api.ElementwiseOp;

/**
 * Vector API kernels. Loaded reflectively by {@link CpuBackendProvider} only when
 * {@code jdk.incubator.vector} is readable, so no other class links against the incubator module.
 *
 * <p>The GEMM micro-kernel keeps a 6 x (2 vectors) tile of C in 12 registers: with AVX-512 that is
 * 6 x 32 floats, 12 FMA accumulators plus 2 B vectors and one broadcast A value, 15 of the 32 zmm
 * registers. Each step does 2 vector loads of B, 6 broadcasts of A and 12 FMAs, enough independent
 * FMAs to hide their latency (4 cycles x 2 pipes on Zen 5 needs 8 in flight).
 */
final class VectorCpuKernels implements CpuKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int LD = D.length();
    private static final int NR64 = 2 * LD;
    /** Float species with as many lanes as {@link #D}, for float -> double -> float element-wise maps. */
    private static final VectorSpecies<Float> FD =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, D.vectorBitSize() / 2)));

    @Override public int mr() { return MR; }
    @Override public int nr() { return NR; }
    @Override public int mr64() { return MR; }
    @Override public int nr64() { return NR64; }

    @Override public int floatLanes() { return F.length(); }

    @Override
    public String description() {
        return "Vector API " + F.vectorBitSize() + "-bit, float micro-tile " + MR + "x" + NR;
    }

    @Override
    public void gemmTile(int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, float[] c, int cOff, int cRow) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        // Row offsets are loop invariants: the range checks of the six A streams are hoisted out of the loop.
        int r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow, r4 = 4 * aRow, r5 = 5 * aRow;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += aStep, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + r4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ai + r5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        store(c, cOff, c00, c01);
        store(c, cOff + cRow, c10, c11);
        store(c, cOff + 2 * cRow, c20, c21);
        store(c, cOff + 3 * cRow, c30, c31);
        store(c, cOff + 4 * cRow, c40, c41);
        store(c, cOff + 5 * cRow, c50, c51);
    }

    private static void store(float[] c, int off, FloatVector v0, FloatVector v1) {
        v0.intoArray(c, off);
        v1.intoArray(c, off + L);
    }

    @Override
    public void gemmTile64(int kc, double[] a, int aOff, double[] b, int bOff, double[] acc, int accOff, int accStride) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = DoubleVector.zero(D);
        DoubleVector c10 = DoubleVector.zero(D), c11 = DoubleVector.zero(D);
        DoubleVector c20 = DoubleVector.zero(D), c21 = DoubleVector.zero(D);
        DoubleVector c30 = DoubleVector.zero(D), c31 = DoubleVector.zero(D);
        DoubleVector c40 = DoubleVector.zero(D), c41 = DoubleVector.zero(D);
        DoubleVector c50 = DoubleVector.zero(D), c51 = DoubleVector.zero(D);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR64) {
            DoubleVector b0 = DoubleVector.fromArray(D, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(D, b, bi + LD);
            DoubleVector x = DoubleVector.broadcast(D, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(D, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(D, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(D, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(D, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(D, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        addInto(acc, accOff, c00, c01);
        addInto(acc, accOff + accStride, c10, c11);
        addInto(acc, accOff + 2 * accStride, c20, c21);
        addInto(acc, accOff + 3 * accStride, c30, c31);
        addInto(acc, accOff + 4 * accStride, c40, c41);
        addInto(acc, accOff + 5 * accStride, c50, c51);
    }

    private static void addInto(double[] acc, int off, DoubleVector v0, DoubleVector v1) {
        DoubleVector.fromArray(D, acc, off).add(v0).intoArray(acc, off);
        DoubleVector.fromArray(D, acc, off + LD).add(v1).intoArray(acc, off + LD);
    }

    @Override
    public void map(ElementwiseOp op, float[] x, int n, double p1, double p2) {
        int lanes = FD.length();
        int bound = FD.length() == LD ? n - n % lanes : 0;
        int i = 0;
        // The cheap ops run in double lanes so results match ElementwiseOp.apply bit for bit
        // (Java never fuses a * x + b, and Vector MIN/MAX follow Math.min/max on NaN and -0.0).
        switch (op) {
            case AFFINE -> {
                for (; i < bound; i += lanes) {
                    DoubleVector d = widen(x, i);
                    narrow(d.mul(p1).add(p2), x, i);
                }
            }
            case SQRT -> {
                for (; i < bound; i += lanes) narrow(widen(x, i).sqrt(), x, i);
            }
            case CLAMP -> {
                for (; i < bound; i += lanes) {
                    DoubleVector d = widen(x, i);
                    VectorMask<Double> nan = d.test(VectorOperators.IS_NAN);
                    narrow(d.max(p1).min(p2).blend(d, nan), x, i);
                }
            }
            case ABS -> {
                for (; i < n - n % L; i += L) FloatVector.fromArray(F, x, i).abs().intoArray(x, i);
            }
            case FILL_MISSING -> {
                float fill = (float) p2;
                for (; i < n - n % L; i += L) {
                    FloatVector v = FloatVector.fromArray(F, x, i);
                    v.blend(fill, v.test(VectorOperators.IS_NAN)).intoArray(x, i);
                }
            }
            default -> {
                // LOG, LOG2, EXP, SIGNED_POW: Math's scalar functions are the definition.
            }
        }
        for (; i < n; i++) x[i] = (float) op.apply(x[i], p1, p2);
    }

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(FD, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrow(DoubleVector d, float[] x, int i) {
        ((FloatVector) d.convertShape(VectorOperators.D2F, FD, 0)).intoArray(x, i);
    }
}
