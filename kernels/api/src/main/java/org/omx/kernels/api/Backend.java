package org.omx.kernels.api;

import java.util.List;

/**
 * The primitives every compute backend offers on float32 tiles. Everything omx computes above
 * (normalization, correlation, TOM, factorization) is written once against this interface, so
 * every backend gains every feature. The CPU backend is the reference the others are checked against.
 *
 * <p>Missing values: inputs may hold NaN. GEMM propagates NaN as IEEE arithmetic does (callers
 * impute or mask first); statistics, ranks and reductions skip NaN as documented per method.
 *
 * <p>Implementations are thread-safe: the engine may call a backend from several threads, and a
 * backend may use its own threads inside each call.
 */
public interface Backend extends AutoCloseable {

    /** Short name used on the command line ({@code --backend NAME}). */
    String name();

    /** The devices this backend computes on. */
    List<DeviceInfo> devices();

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}. With {@code beta == 0}, C's previous contents
     * are ignored (even NaN). Shapes: op(A) is m x k, op(B) is k x n, C is m x n.
     */
    void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
              Accumulation accumulation);

    /**
     * Per-row mean and sample variance (divisor n - 1) over the non-missing values; {@code count}
     * receives the number of non-missing values. A row with no value gets mean NaN, a row with
     * fewer than two gets variance NaN. Sums run in double.
     */
    void rowMeanVariance(FloatMatrix a, double[] mean, double[] variance, int[] count);

    /**
     * Ranks within each row, 1-based, ties receiving the average of the ranks they span (R's
     * {@code rank(ties.method = "average")}). NaN stays NaN in {@code out} and is not ranked: the
     * other values are ranked 1..n among themselves. {@code out} may be {@code a} itself.
     */
    void rowRanks(FloatMatrix a, FloatMatrix out);

    /** {@code out = op(a; p1, p2)} element by element; {@code out} may be {@code a} itself. */
    void map(FloatMatrix a, ElementwiseOp op, double p1, double p2, FloatMatrix out);

    /**
     * {@code out[i][j] = a[i][j] * scale[i] + shift[i]}: per-row affine maps such as centering,
     * z-scoring and library-size scaling. NaN stays NaN; {@code out} may be {@code a} itself.
     */
    void scaleRows(FloatMatrix a, double[] scale, double[] shift, FloatMatrix out);

    /**
     * Reduces along the axis, skipping NaN (see {@link Reduction}); {@code out} has one entry per
     * row (ROWS) or per column (COLUMNS). Sums run in double.
     */
    void reduce(FloatMatrix a, Reduction reduction, Axis axis, double[] out);

    /**
     * Measures host-to-device and device-to-host copy bandwidth with a buffer of about {@code bytes}
     * (for {@code omx bench}): device backends time their own transfer path (pinned buffers, the
     * device API's copies). The default, for backends that compute in host memory, reports
     * {@link TransferBandwidth#notApplicable}. Not for use in compute paths: it allocates and times.
     */
    default TransferBandwidth transferBandwidth(long bytes) {
        return TransferBandwidth.notApplicable("host memory (the backend computes where the data lies; no copy to a device)");
    }

    /** Runs the self-check: each primitive on small random inputs against double-precision code. */
    SelfCheck selfCheck();

    /** Releases device memory and threads. */
    @Override
    void close();
}
