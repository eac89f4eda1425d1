package org.omx.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.DeviceInfo;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;
import org.omx.kernels.api.RowRanking;
import org.omx.kernels.api.ReferenceSelfCheck;
import org.omx.kernels.api.SelfCheck;

/**
 * The CPU backend: every primitive on host threads, GEMM through {@link Gemm}, the rest row by row.
 * Row-wise work copies each row into a per-thread float array first, so views of any stride, heap
 * or native memory, and {@code out == a} all take the same path.
 */
public final class CpuBackend implements Backend {

    /** An unstarted thread: a segment it may access is one every pool thread may access. */
    private static final Thread ANY_OTHER_THREAD = new Thread(() -> { });

    private final CpuKernels kernels;
    private final WorkerPool pool;
    private final Gemm gemm;

    CpuBackend(CpuKernels kernels, int threads) {
        this.kernels = kernels;
        this.pool = new WorkerPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        this.gemm = new Gemm(kernels, pool);
    }

    /** Opens the CPU backend with the kernels the provider chose (Vector API or scalar fallback). */
    public static CpuBackend open(int threads) {
        return new CpuBackend(CpuBackendProvider.kernels(), threads);
    }

    /** Memory of a confined arena may only be touched by its owner thread: such calls run single-threaded. */
    static boolean sharable(MemorySegment s) {
        return !s.isNative() || s.isAccessibleBy(ANY_OTHER_THREAD);
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public List<DeviceInfo> devices() {
        long mem = -1;
        try {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) mem = os.getTotalMemorySize();
        } catch (RuntimeException | LinkageError ignored) {
            // unknown stays -1
        }
        CpuPeak peak = CpuPeak.fromProcCpuinfo(pool.threads(), kernels.floatLanes());
        return List.of(new DeviceInfo("cpu", cpuModel(), pool.threads(), mem, kernels.description()
                + (Double.isNaN(peak.gflops()) ? "" : "; peak estimate " + peak.assumption()), peak.gflops()));
    }

    private static String cpuModel() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
        } catch (java.io.IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    @Override
    public void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                     Accumulation accumulation) {
        gemm.gemm(opA, a, opB, b, alpha, beta, c, accumulation);
    }

    /** Row chunks: a few per thread so dynamic claiming can balance, at least one row each. */
    private int rowChunk(int rows) {
        return Math.max(1, Gemm.ceilDiv(rows, 4 * pool.threads()));
    }

    private boolean parallel(FloatMatrix... ms) {
        for (FloatMatrix m : ms) if (!sharable(m.segment())) return false;
        return pool.threads() > 1;
    }

    @Override
    public void rowMeanVariance(FloatMatrix a, double[] mean, double[] variance, int[] count) {
        int rows = a.rows();
        int cols = a.cols();
        if (mean.length < rows || variance.length < rows || count.length < rows)
            throw new IllegalArgumentException("output arrays shorter than " + rows + " rows");
        int chunk = rowChunk(rows);
        pool.forEach(Gemm.ceilDiv(rows, chunk), parallel(a), (task, s) -> {
            float[] row = s.row(cols);
            for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                a.copyRow(i, row, 0);
                // Two passes (mean, then squared deviations) in double: no cancellation from
                // subtracting large sums, which matters for unnormalized counts.
                double sum = 0;
                int n = 0;
                for (int j = 0; j < cols; j++) {
                    float x = row[j];
                    if (x == x) {
                        sum += x;
                        n++;
                    }
                }
                double mu = n == 0 ? Double.NaN : sum / n;
                double ss = 0;
                double corr = 0;
                for (int j = 0; j < cols; j++) {
                    float x = row[j];
                    if (x == x) {
                        double d = x - mu;
                        ss += d * d;
                        corr += d;
                    }
                }
                // Corrected two-pass formula (Chan, Golub and LeVeque 1983) removes the rounding left in mu.
                mean[i] = mu;
                variance[i] = n < 2 ? Double.NaN : (ss - corr * corr / n) / (n - 1);
                count[i] = n;
            }
        });
    }

    @Override
    public void rowRanks(FloatMatrix a, FloatMatrix out) {
        requireSameShape(a, out);
        int rows = a.rows();
        int cols = a.cols();
        int chunk = rowChunk(rows);
        pool.forEach(Gemm.ceilDiv(rows, chunk), parallel(a, out), (task, s) -> {
            float[] row = s.row(cols);
            long[] keys = s.keys(cols);
            for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                a.copyRow(i, row, 0);
                RowRanking.rankInPlace(row, cols, keys);
                out.setRow(i, row, 0); // NaN entries were left as they were
            }
        });
    }

    @Override
    public void map(FloatMatrix a, ElementwiseOp op, double p1, double p2, FloatMatrix out) {
        requireSameShape(a, out);
        int rows = a.rows();
        int cols = a.cols();
        int chunk = rowChunk(rows);
        pool.forEach(Gemm.ceilDiv(rows, chunk), parallel(a, out), (task, s) -> {
            float[] row = s.row(cols);
            for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                a.copyRow(i, row, 0);
                kernels.map(op, row, cols, p1, p2);
                out.setRow(i, row, 0);
            }
        });
    }

    @Override
    public void scaleRows(FloatMatrix a, double[] scale, double[] shift, FloatMatrix out) {
        requireSameShape(a, out);
        int rows = a.rows();
        int cols = a.cols();
        if (scale.length < rows || shift.length < rows)
            throw new IllegalArgumentException("scale/shift shorter than " + rows + " rows");
        int chunk = rowChunk(rows);
        pool.forEach(Gemm.ceilDiv(rows, chunk), parallel(a, out), (task, s) -> {
            float[] row = s.row(cols);
            for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                a.copyRow(i, row, 0);
                kernels.map(ElementwiseOp.AFFINE, row, cols, scale[i], shift[i]);
                out.setRow(i, row, 0);
            }
        });
    }

    @Override
    public void reduce(FloatMatrix a, Reduction reduction, Axis axis, double[] out) {
        int rows = a.rows();
        int cols = a.cols();
        if (axis == Axis.ROWS) {
            if (out.length < rows) throw new IllegalArgumentException("out shorter than " + rows + " rows");
            int chunk = rowChunk(rows);
            pool.forEach(Gemm.ceilDiv(rows, chunk), parallel(a), (task, s) -> {
                float[] row = s.row(cols);
                for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                    a.copyRow(i, row, 0);
                    double acc = start(reduction);
                    int n = 0;
                    for (int j = 0; j < cols; j++) {
                        float x = row[j];
                        if (x != x) continue;
                        acc = step(reduction, acc, x);
                        n++;
                    }
                    out[i] = finish(reduction, acc, n);
                }
            });
        } else {
            if (out.length < cols) throw new IllegalArgumentException("out shorter than " + cols + " columns");
            // Columns are split among threads; each thread sweeps all rows over its column range.
            int chunk = Math.max(64, Gemm.ceilDiv(cols, 4 * pool.threads()));
            pool.forEach(Gemm.ceilDiv(cols, chunk), parallel(a), (task, s) -> {
                int j0 = task * chunk;
                int w = Math.min(chunk, cols - j0);
                float[] row = s.row(w);
                double[] acc = s.sums(w);
                int[] n = s.counts(w);
                Arrays.fill(acc, 0, w, start(reduction));
                Arrays.fill(n, 0, w, 0);
                for (int i = 0; i < rows; i++) {
                    MemorySegment.copy(a.segment(), FloatMatrix.FLOAT, a.byteOffset(i, j0), row, 0, w);
                    for (int j = 0; j < w; j++) {
                        float x = row[j];
                        if (x != x) continue;
                        acc[j] = step(reduction, acc[j], x);
                        n[j]++;
                    }
                }
                for (int j = 0; j < w; j++) out[j0 + j] = finish(reduction, acc[j], n[j]);
            });
        }
    }

    private static double start(Reduction r) {
        return switch (r) {
            case MIN -> Double.POSITIVE_INFINITY;
            case MAX -> Double.NEGATIVE_INFINITY;
            default -> 0.0;
        };
    }

    private static double step(Reduction r, double acc, double x) {
        return switch (r) {
            case SUM -> acc + x;
            case SUM_OF_SQUARES -> acc + x * x;
            case MIN -> Math.min(acc, x);
            case MAX -> Math.max(acc, x);
            case COUNT -> acc + 1;
        };
    }

    /** See {@link Reduction}: an all-missing line gives 0 for SUM and COUNT, NaN otherwise. */
    private static double finish(Reduction r, double acc, int n) {
        if (n > 0 || r == Reduction.SUM || r == Reduction.COUNT) return acc;
        return Double.NaN;
    }

    private static void requireSameShape(FloatMatrix a, FloatMatrix out) {
        if (a.rows() != out.rows() || a.cols() != out.cols())
            throw new IllegalArgumentException("out is " + out.rows() + "x" + out.cols() + ", input " + a.rows()
                    + "x" + a.cols());
    }

    @Override
    public SelfCheck selfCheck() {
        return ReferenceSelfCheck.run(this);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "cpu backend, " + pool.threads() + " threads, " + kernels.description();
    }
}
