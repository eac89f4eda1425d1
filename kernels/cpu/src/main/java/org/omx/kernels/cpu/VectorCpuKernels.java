package org.omx.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
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
 * <p>The float GEMM micro-kernel keeps an 8 x (2 vectors) tile of C in 16 registers where the vectors
 * are 512 bits: 8 x 32 floats with AVX-512, 16 FMA accumulators plus 2 B vectors and one broadcast A
 * value, 19 of the 32 zmm registers (with 256-bit vectors and 16 registers, 6 rows: 12 accumulators).
 * Each step does 2 vector loads of B, 8 broadcasts of A and 16 FMAs, enough independent FMAs to hide
 * their latency (4 cycles x 2 pipes on Zen 5 needs 8 in flight).
 */
final class VectorCpuKernels implements CpuKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 6;
    /**
     * Rows of the float micro-tile: 8 where the vectors are 512 bits (AVX-512 has 32 registers: 16
     * accumulators, 2 B vectors, a broadcast), else 6 (16 registers: 12 accumulators). Eight rows read
     * the B panel from L2 a quarter less often per FLOP than six: correlation of 10,000 x 1,000 0.47-0.49 ->
     * 0.43-0.46 s, the 5,000-gene network 1.23-1.41 -> 1.10-1.21 s in one JVM (A/B, 3 pairs each).
     */
    private static final int MR32 = F.vectorBitSize() >= 512 ? 8 : 6;
    private static final int NR = 2 * L;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int LD = D.length();
    private static final int NR64 = 2 * LD;
    /** Float species with as many lanes as {@link #D}, for float -> double -> float element-wise maps. */
    private static final VectorSpecies<Float> FD =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, D.vectorBitSize() / 2)));

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    @Override public int mr() { return MR32; }
    @Override public int nr() { return NR; }
    @Override public int mr64() { return MR; }
    @Override public int nr64() { return NR64; }

    @Override public int floatLanes() { return F.length(); }

    @Override
    public String description() {
        return "Vector API " + F.vectorBitSize() + "-bit, float micro-tile " + MR32 + "x" + NR;
    }

    @Override
    public void gemmTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        if (MR32 == 8) tile8(kc, a, aOff, b, bOff, tile);
        else tile6(kc, a, aOff, b, bOff, tile);
    }

    /** The 8-row tile (AVX-512): {@code tile = A panel (kc x 8, packed by step) times B panel (kc x NR)}. */
    static void tile8(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 8, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** The 6-row tile (16-register machines). */
    static void tile6(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    @Override
    public void updateC(float[] tile, int rows, int cols, float alpha, float beta, MemorySegment c, long off,
                        long rowStrideBytes) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        FloatVector vb = FloatVector.broadcast(F, beta);
        if (cols == NR) {
            for (int i = 0; i < rows; i++) {
                long o = off + i * rowStrideBytes;
                FloatVector t0 = FloatVector.fromArray(F, tile, i * NR).mul(va);
                FloatVector t1 = FloatVector.fromArray(F, tile, i * NR + L).mul(va);
                if (beta != 0f) {
                    t0 = FloatVector.fromMemorySegment(F, c, o, NATIVE).fma(vb, t0);
                    t1 = FloatVector.fromMemorySegment(F, c, o + 4L * L, NATIVE).fma(vb, t1);
                }
                t0.intoMemorySegment(c, o, NATIVE);
                t1.intoMemorySegment(c, o + 4L * L, NATIVE);
            }
            return;
        }
        // Edge tile: masked lanes are neither read nor written, so C's neighbours stay untouched.
        VectorMask<Float> m0 = F.indexInRange(0, cols);
        VectorMask<Float> m1 = F.indexInRange(L, cols);
        for (int i = 0; i < rows; i++) {
            long o = off + i * rowStrideBytes;
            FloatVector t0 = FloatVector.fromArray(F, tile, i * NR).mul(va);
            FloatVector t1 = FloatVector.fromArray(F, tile, i * NR + L).mul(va);
            if (beta != 0f) {
                t0 = FloatVector.fromMemorySegment(F, c, o, NATIVE, m0).fma(vb, t0);
                if (cols > L) t1 = FloatVector.fromMemorySegment(F, c, o + 4L * L, NATIVE, m1).fma(vb, t1);
            }
            t0.intoMemorySegment(c, o, NATIVE, m0);
            if (cols > L) t1.intoMemorySegment(c, o + 4L * L, NATIVE, m1);
        }
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
