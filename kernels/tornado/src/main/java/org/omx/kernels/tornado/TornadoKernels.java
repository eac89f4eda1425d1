package org.omx.kernels.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.vectors.Float16;

/**
 * The device code: plain Java methods that TornadoVM compiles (through Graal) to OpenCL C, PTX or
 * SPIR-V. Each method is one kernel; {@link KernelContext} gives the work-item ids, local memory
 * and barriers. Shapes travel in an {@code IntArray dims} transferred with every execution, so one
 * compiled kernel serves every shape (TornadoVM may specialise on scalar task arguments).
 *
 * <p>Missing values are tested with {@code x != x} (true only for NaN), which every device
 * compiler keeps. NaN results are made at run time (0.0 / 0): TornadoVM 5.2's OpenCL code generator
 * prints a NaN constant as {@code NaN}, which is not OpenCL C, so the kernel fails to build and
 * TornadoVM silently falls back. Sums run in double, as the SPI asks; every OpenCL device TornadoVM targets for
 * omx must offer fp64 (PoCL and NVIDIA do).
 *
 * <p>GEMM operands arrive packed and zero-padded by {@link TornadoBackend}: A is {@code mPad x kPad}
 * and B is {@code kPad x nPad}, both row-major, with {@code mPad, nPad} multiples of {@link #TILE}
 * and {@code kPad} a multiple of {@link #TILE_K}. The zero padding means the inner loops need no
 * bounds tests, and the host simply ignores the padded rows and columns of C.
 */
final class TornadoKernels {

    /** Output tile edge of the local-memory GEMM: a 16 x 16 work-group computing 4 x 4 outputs each. */
    static final int TILE = 64;
    /** Depth of one local-memory tile step: 64 x 16 floats of A and 16 x 64 of B = 8 KiB of local memory. */
    static final int TILE_K = 16;
    /** Work-group edge of the local-memory GEMM. */
    static final int GROUP = 16;
    /** Rows per work-item in the row-blocked GEMM (eight accumulators in registers). */
    static final int ROWS_PER_ITEM = 8;

    static final int OP_AFFINE = 0;
    static final int OP_LOG = 1;
    static final int OP_LOG2 = 2;
    static final int OP_EXP = 3;
    static final int OP_SQRT = 4;
    static final int OP_ABS = 5;
    static final int OP_SIGNED_POW = 6;
    static final int OP_CLAMP = 7;
    static final int OP_FILL_MISSING = 8;

    static final int RED_SUM = 0;
    static final int RED_SUM_OF_SQUARES = 1;
    static final int RED_MIN = 2;
    static final int RED_MAX = 3;
    static final int RED_COUNT = 4;

    private static final double LN2 = 0.6931471805599453;

    private TornadoKernels() {
    }

    /**
     * GEMM with local-memory tiling, for GPUs: a work-group of 16 x 16 items computes a 64 x 64 tile
     * of C, each item a 4 x 4 block in registers (rows ly + 16r, columns lx + 16c, so neighbouring
     * items read neighbouring local-memory words: no bank conflicts). Per 16-deep step the group
     * stages a 64 x 16 slice of A (stored transposed, [p][i]) and a 16 x 64 slice of B in local
     * memory; each item loads 4 + 4 values from it per 16 FMAs, a quarter of the untiled traffic.
     * dims = {mPad, nPad, kPad}.
     */
    static void gemmLocalTiled(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, IntArray dims) {
        int nPad = dims.get(1);
        int kPad = dims.get(2);
        int lx = ctx.localIdx;
        int ly = ctx.localIdy;
        int rowBase = ctx.groupIdy * 64;
        int colBase = ctx.groupIdx * 64;
        float[] tileA = ctx.allocateFloatLocalArray(1024);
        float[] tileB = ctx.allocateFloatLocalArray(1024);
        int flat = ly * 16 + lx;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int t = 0; t < kPad; t += 16) {
            for (int l = 0; l < 4; l++) {
                int idx = flat + 256 * l;
                int ra = idx >> 4;     // row of the A slice, 0..63
                int pa = idx & 15;     // depth, 0..15
                tileA[pa * 64 + ra] = a.get((rowBase + ra) * kPad + t + pa);
                int pb = idx >> 6;     // depth, 0..15
                int cb = idx & 63;     // column of the B slice, 0..63
                tileB[pb * 64 + cb] = b.get((t + pb) * nPad + colBase + cb);
            }
            ctx.localBarrier();
            for (int p = 0; p < 16; p++) {
                int o = p * 64;
                float a0 = tileA[o + ly];
                float a1 = tileA[o + ly + 16];
                float a2 = tileA[o + ly + 32];
                float a3 = tileA[o + ly + 48];
                float b0 = tileB[o + lx];
                float b1 = tileB[o + lx + 16];
                float b2 = tileB[o + lx + 32];
                float b3 = tileB[o + lx + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            ctx.localBarrier();
        }
        int r0 = (rowBase + ly) * nPad + colBase + lx;
        int r1 = r0 + 16 * nPad;
        int r2 = r1 + 16 * nPad;
        int r3 = r2 + 16 * nPad;
        c.set(r0, c00); c.set(r0 + 16, c01); c.set(r0 + 32, c02); c.set(r0 + 48, c03);
        c.set(r1, c10); c.set(r1 + 16, c11); c.set(r1 + 32, c12); c.set(r1 + 48, c13);
        c.set(r2, c20); c.set(r2 + 16, c21); c.set(r2 + 32, c22); c.set(r2 + 48, c23);
        c.set(r3, c30); c.set(r3 + 16, c31); c.set(r3 + 32, c32); c.set(r3 + 48, c33);
    }

    /**
     * GEMM for CPU OpenCL devices (PoCL): each work-item owns one column j and eight rows. Within a
     * work-group the items differ only in j, so PoCL's work-group vectorizer turns the loop over
     * items into SIMD lanes: per step p, one vector load of B[p][j..], eight broadcasts of A[i][p]
     * and eight vector FMAs, the shape of a CPU GEMM micro-kernel. Local memory would only add
     * copies on a CPU, where caches already hold the reused A rows. dims = {mPad, nPad, kPad}.
     */
    static void gemmRowBlocked(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, IntArray dims) {
        int nPad = dims.get(1);
        int kPad = dims.get(2);
        int j = ctx.globalIdx;
        int i0 = ctx.globalIdy * 8;
        int a0 = i0 * kPad;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int p = 0; p < kPad; p++) {
            float bv = b.get(p * nPad + j);
            int ap = a0 + p;
            s0 += a.get(ap) * bv;
            s1 += a.get(ap + kPad) * bv;
            s2 += a.get(ap + 2 * kPad) * bv;
            s3 += a.get(ap + 3 * kPad) * bv;
            s4 += a.get(ap + 4 * kPad) * bv;
            s5 += a.get(ap + 5 * kPad) * bv;
            s6 += a.get(ap + 6 * kPad) * bv;
            s7 += a.get(ap + 7 * kPad) * bv;
        }
        int o = i0 * nPad + j;
        c.set(o, s0);
        c.set(o + nPad, s1);
        c.set(o + 2 * nPad, s2);
        c.set(o + 3 * nPad, s3);
        c.set(o + 4 * nPad, s4);
        c.set(o + 5 * nPad, s5);
        c.set(o + 6 * nPad, s6);
        c.set(o + 7 * nPad, s7);
    }

    /**
     * GEMM for CPU OpenCL devices (PoCL) with explicit SIMD: each work-item owns eight rows and sixteen
     * columns of C in eight {@code float16} registers (one AVX-512 register each); per step p it loads
     * one 16-wide vector of B, broadcasts eight values of A and does eight vector FMAs, the shape of a
     * CPU GEMM micro-kernel, which PoCL compiles straight to SIMD instructions. Operands come packed in
     * panels (see {@code TilePacking.packPanels}): A as panels of 8 rows, {@code [row panel][p][8]}, B
     * as panels of 16 columns, {@code [column panel][p]} float16 vectors, so each work-item streams two
     * contiguous runs (32 and 64 bytes per step). The previous kernel of this shape read row-major
     * operands (eight A rows and a B column a whole row apart: a new page per step on large shapes) and
     * reached 62 GFLOP/s where this one reaches 118 (m = n = 4000, k = 1000, 2 Zen 5 cores, PoCL; an
     * 8 x 32 variant measured the same, within noise). Work-item x is the row panel, y the column panel: the
     * items of a work-group run one after another on one core (PoCL), so a group of 8 x 4 items computes
     * a 64 x 64 block of C from 8 A panels and 4 B panels that stay in that core's L2.
     * C is written row-major as {@code mPad x nPad/16} vectors. dims = {mPad, nPad, kPad}.
     */
    static void gemmPanel16(KernelContext ctx, FloatArray a, VectorFloat16 b, VectorFloat16 c, IntArray dims) {
        int nVec = dims.get(1) / 16;
        int kPad = dims.get(2);
        int ib = ctx.globalIdx;
        int jv = ctx.globalIdy;
        int aBase = ib * kPad * 8;
        int bBase = jv * kPad;
        Float16 s0 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s1 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s2 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s3 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s4 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s5 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s6 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Float16 s7 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        for (int p = 0; p < kPad; p++) {
            Float16 bv = b.get(bBase + p);
            int ap = aBase + p * 8;
            s0 = Float16.add(s0, Float16.mult(bv, a.get(ap)));
            s1 = Float16.add(s1, Float16.mult(bv, a.get(ap + 1)));
            s2 = Float16.add(s2, Float16.mult(bv, a.get(ap + 2)));
            s3 = Float16.add(s3, Float16.mult(bv, a.get(ap + 3)));
            s4 = Float16.add(s4, Float16.mult(bv, a.get(ap + 4)));
            s5 = Float16.add(s5, Float16.mult(bv, a.get(ap + 5)));
            s6 = Float16.add(s6, Float16.mult(bv, a.get(ap + 6)));
            s7 = Float16.add(s7, Float16.mult(bv, a.get(ap + 7)));
        }
        int o = ib * 8 * nVec + jv;
        c.set(o, s0);
        c.set(o + nVec, s1);
        c.set(o + 2 * nVec, s2);
        c.set(o + 3 * nVec, s3);
        c.set(o + 4 * nVec, s4);
        c.set(o + 5 * nVec, s5);
        c.set(o + 6 * nVec, s6);
        c.set(o + 7 * nVec, s7);
    }

    /** The row-blocked GEMM with float64 running sums ({@code Accumulation.FLOAT64}), rounded once at the end. */
    static void gemmRowBlocked64(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, IntArray dims) {
        int nPad = dims.get(1);
        int kPad = dims.get(2);
        int j = ctx.globalIdx;
        int i0 = ctx.globalIdy * 8;
        int a0 = i0 * kPad;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int p = 0; p < kPad; p++) {
            double bv = b.get(p * nPad + j);
            int ap = a0 + p;
            s0 += a.get(ap) * bv;
            s1 += a.get(ap + kPad) * bv;
            s2 += a.get(ap + 2 * kPad) * bv;
            s3 += a.get(ap + 3 * kPad) * bv;
            s4 += a.get(ap + 4 * kPad) * bv;
            s5 += a.get(ap + 5 * kPad) * bv;
            s6 += a.get(ap + 6 * kPad) * bv;
            s7 += a.get(ap + 7 * kPad) * bv;
        }
        int o = i0 * nPad + j;
        c.set(o, (float) s0);
        c.set(o + nPad, (float) s1);
        c.set(o + 2 * nPad, (float) s2);
        c.set(o + 3 * nPad, (float) s3);
        c.set(o + 4 * nPad, (float) s4);
        c.set(o + 5 * nPad, (float) s5);
        c.set(o + 6 * nPad, (float) s6);
        c.set(o + 7 * nPad, (float) s7);
    }

    /**
     * Row mean and sample variance over non-NaN values, two passes in double (the mean first, then
     * squared deviations from it: no cancellation). One work-item per row. dims = {rows, cols}.
     */
    static void rowMeanVariance(KernelContext ctx, FloatArray a, DoubleArray mean, DoubleArray variance,
                                IntArray count, IntArray dims) {
        int i = ctx.globalIdx;
        int rows = dims.get(0);
        int cols = dims.get(1);
        if (i < rows) {
            int base = i * cols;
            double sum = 0;
            int n = 0;
            for (int j = 0; j < cols; j++) {
                float x = a.get(base + j);
                if (x == x) {
                    sum += x;
                    n++;
                }
            }
            double mu = sum / n; // NaN for n == 0 (0 / 0)
            double ss = 0;
            for (int j = 0; j < cols; j++) {
                float x = a.get(base + j);
                if (x == x) {
                    double d = x - mu;
                    ss += d * d;
                }
            }
            mean.set(i, mu);
            // n == 1: ss is exactly 0, so 0 / 0 gives NaN; n == 0: mu is already NaN.
            variance.set(i, n == 0 ? mu : ss / (n - 1));
            count.set(i, n);
        }
    }

    /**
     * y = f(x) element by element, in double and rounded once to float, as {@code ElementwiseOp.apply}
     * defines it. dims = {elements, op}; par = {p1, p2}.
     */
    static void map(KernelContext ctx, FloatArray a, FloatArray out, IntArray dims, DoubleArray par) {
        int i = ctx.globalIdx;
        if (i < dims.get(0)) {
            int op = dims.get(1);
            double pa = par.get(0);
            double pb = par.get(1);
            double x = a.get(i);
            double y;
            if (x != x) {
                y = op == OP_FILL_MISSING ? pb : x;
            } else if (op == OP_AFFINE) {
                y = pa * x + pb;
            } else if (op == OP_LOG) {
                y = TornadoMath.log(x + pa);
            } else if (op == OP_LOG2) {
                y = TornadoMath.log(x + pa) / LN2;
            } else if (op == OP_EXP) {
                y = TornadoMath.exp(x);
            } else if (op == OP_SQRT) {
                y = TornadoMath.sqrt(x);
            } else if (op == OP_ABS) {
                y = TornadoMath.abs(x);
            } else if (op == OP_SIGNED_POW) {
                double mag = TornadoMath.pow(TornadoMath.abs(x), pa);
                y = x > 0 ? mag : x < 0 ? -mag : x;
            } else if (op == OP_CLAMP) {
                y = TornadoMath.min(TornadoMath.max(x, pa), pb);
            } else {
                y = x;
            }
            out.set(i, (float) y);
        }
    }

    /** out[i][j] = a[i][j] * scale[i] + shift[i] in double; NaN stays NaN (IEEE). dims = {rows, cols}. */
    static void scaleRows(KernelContext ctx, FloatArray a, FloatArray out, DoubleArray scale, DoubleArray shift,
                          IntArray dims) {
        int j = ctx.globalIdx;
        int i = ctx.globalIdy;
        int cols = dims.get(1);
        if (i < dims.get(0) && j < cols) {
            int o = i * cols + j;
            double x = a.get(o);
            out.set(o, (float) (x * scale.get(i) + shift.get(i)));
        }
    }

    /**
     * One reduction per line, skipping NaN, in double: one work-item per row (axis code 0) or per
     * column (1); a line with no value gives NaN except for SUM and COUNT (0).
     * dims = {rows, cols, reduction, axis}.
     */
    static void reduce(KernelContext ctx, FloatArray a, DoubleArray out, IntArray dims) {
        int line = ctx.globalIdx;
        int rows = dims.get(0);
        int cols = dims.get(1);
        int red = dims.get(2);
        boolean byRow = dims.get(3) == 0;
        int lines = byRow ? rows : cols;
        if (line < lines) {
            int len = byRow ? cols : rows;
            int start = byRow ? line * cols : line;
            int step = byRow ? 1 : cols;
            double acc = 0;
            double best = 0;
            int n = 0;
            for (int t = 0; t < len; t++) {
                float xf = a.get(start + t * step);
                if (xf == xf) {
                    double x = xf;
                    if (red == RED_SUM) {
                        acc += x;
                    } else if (red == RED_SUM_OF_SQUARES) {
                        acc += x * x;
                    } else if (red == RED_MIN) {
                        best = n == 0 ? x : TornadoMath.min(best, x);
                    } else if (red == RED_MAX) {
                        best = n == 0 ? x : TornadoMath.max(best, x);
                    }
                    n++;
                }
            }
            double r;
            if (red == RED_COUNT) {
                r = n;
            } else if (red == RED_SUM) {
                r = acc;
            } else if (n == 0) {
                r = acc / n; // 0 / 0: NaN, made at run time (see the class comment)
            } else if (red == RED_SUM_OF_SQUARES) {
                r = acc;
            } else {
                r = best;
            }
            out.set(line, r);
        }
    }
}
