package org.omx.kernels.cpu;

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
     * The float32 micro-kernel: the {@code mr x nr} product {@code Apanel * Bpanel} over {@code kc}
     * steps, stored (not added) row-major at {@code c[cOff + i * cRow + j]}. A's element (row r,
     * step p) is {@code a[aOff + r * aRow + p * aStep]}: {@code (1, mr)} for an interleaved panel,
     * {@code (kc, 1)} for rows copied as they are. B's panel holds {@code nr} floats per step from
     * {@code bOff}.
     */
    void gemmTile(int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, float[] c, int cOff, int cRow);

    /**
     * The float64 micro-kernel: {@code acc[mr64 x nr64] += Apanel * Bpanel} over {@code kc} steps,
     * with the accumulator block at {@code accOff} and rows {@code accStride} apart.
     */
    void gemmTile64(int kc, double[] a, int aOff, double[] b, int bOff, double[] acc, int accOff, int accStride);

    /** {@code x[i] = (float) op.apply(x[i], p1, p2)} for {@code i < n}, bit-for-bit. */
    void map(ElementwiseOp op, float[] x, int n, double p1, double p2);
}
