package org.omx.kernels.cpu;

import java.lang.foreign.MemorySegment;
import org.omx.kernels.api.ElementwiseOp;

/**
 * The few inner loops whose speed matters, behind one small interface (Lucene's
 * VectorizationProvider pattern): {@link VectorCpuKernels} uses the incubating Vector API and is
 * loaded by name only when the runtime can read {@code jdk.incubator.vector};
 * {@link ScalarCpuKernels} is the plain fallback. Exactly one implementation is loaded per JVM, so
 * every call site stays monomorphic and inlines.
 */
interface CpuKernels {

    /** Rows of the float32 micro-tile (rows of a packed A panel). */
    int mr();

    /** Columns of the float32 micro-tile (columns of a packed B panel). */
    int nr();

    /** Rows of the float64-accumulation micro-tile. */
    int mr64();

    /** Columns of the float64-accumulation micro-tile. */
    int nr64();

    /** float32 lanes of one vector operation on this path (1 for the scalar fallback): the FMA width of the peak estimate. */
    int floatLanes();

    /** One line describing the instruction path, for {@link org.omx.kernels.api.DeviceInfo#version()}. */
    String description();

    /**
     * The float32 micro-kernel: {@code tile[mr x nr] = Apanel * Bpanel} over {@code kc} steps, where
     * A's panel holds {@code mr} floats per step from {@code aOff} and B's panel {@code nr} floats
     * per step from {@code bOff}. The tile is overwritten, row-major.
     */
    void gemmTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile);

    /**
     * {@code C[0..rows, 0..cols) = alpha * tile + beta * C}, reading C only when {@code beta != 0}
     * (so NaN in C is ignored with beta 0). C's element (0,0) is at byte {@code off}, rows
     * {@code rowStrideBytes} apart.
     */
    void updateC(float[] tile, int rows, int cols, float alpha, float beta, MemorySegment c, long off,
                 long rowStrideBytes);

    /**
     * The float64 micro-kernel: {@code acc[mr64 x nr64] += Apanel * Bpanel} over {@code kc} steps,
     * with the accumulator block at {@code accOff} and rows {@code accStride} apart.
     */
    void gemmTile64(int kc, double[] a, int aOff, double[] b, int bOff, double[] acc, int accOff, int accStride);

    /** {@code x[i] = (float) op.apply(x[i], p1, p2)} for {@code i < n}, bit-for-bit. */
    void map(ElementwiseOp op, float[] x, int n, double p1, double p2);
}
