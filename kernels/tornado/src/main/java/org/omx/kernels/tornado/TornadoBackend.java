package org.omx.kernels.tornado;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.DeviceInfo;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;
import org.omx.kernels.api.RowRanking;
import org.omx.kernels.api.TilePacking;
import org.omx.kernels.api.TransferBandwidth;
import org.omx.kernels.api.ReferenceSelfCheck;
import org.omx.kernels.api.SelfCheck;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;

/**
 * The TornadoVM backend: each primitive is a {@link TaskGraph} of one kernel from {@link TornadoKernels}
 * run by a {@link TornadoExecutionPlan} on one device.
 *
 * <p>Plans are built once per kernel and kept: building one compiles the kernel (Graal, then the
 * device's OpenCL compiler), which takes a second or more. A plan owns its buffers, so a call that
 * needs more room than the plan's buffers have rebuilds it with capacity rounded up to the next
 * eighth of a power of two (at most 12.5 % of every transfer is slack, and a growing workload
 * rebuilds only a few times). Shapes travel in small int buffers, never as compiled-in constants.
 *
 * <p>Data path: FloatMatrix views (any stride, heap or native) are packed row by row into the
 * plan's off-heap arrays, sent, computed, and unpacked. Work larger than {@link #MAX_BUFFER_FLOATS}
 * per buffer is cut into blocks (rows, columns, and for GEMM also the inner dimension).
 *
 * <p>Calls are serialised ({@code synchronized}): one device queue, one set of buffers.
 */
final class TornadoBackend implements Backend {

    /** Largest buffer, in floats (128 MiB): keeps int indexing in kernels safe and fits small devices. */
    static final int MAX_BUFFER_FLOATS = 1 << 25;

    private static final AtomicInteger GRAPH_IDS = new AtomicInteger();

    /**
     * Which float32 GEMM kernel runs: the local-memory tiled one (GPUs), the float16 panel one (CPU
     * devices), or the scalar row-blocked one (the float64-accumulation shape; selectable for tests).
     */
    enum GemmKernel { LOCAL_TILED, ROW_BLOCKED, PANEL16 }

    private final TornadoDevice device;
    private final boolean accelerator;
    private final int maxBufferFloats;
    private GemmKernel gemmKernel;

    private GemmPlan gemm32;
    private GemmPlan gemm64;
    private MeanVariancePlan meanVariance;
    private MapPlan map;
    private ScaleRowsPlan scaleRows;
    private ReducePlan reduce;

    private TornadoBackend(TornadoDevice device, int maxBufferFloats) {
        this.device = device;
        TornadoDeviceType type = device.getDeviceType();
        this.accelerator = type == TornadoDeviceType.GPU || type == TornadoDeviceType.ACCELERATOR;
        this.gemmKernel = accelerator ? GemmKernel.LOCAL_TILED : GemmKernel.PANEL16;
        long maxAlloc = device.getMaxAllocMemory();
        int byDevice = maxAlloc > 0 ? (int) Math.min(MAX_BUFFER_FLOATS, maxAlloc / 4) : MAX_BUFFER_FLOATS;
        this.maxBufferFloats = Math.min(byDevice, maxBufferFloats);
    }

    static TornadoBackend openDefaultDevice() {
        return new TornadoBackend(defaultDevice(), MAX_BUFFER_FLOATS);
    }

    /** For tests: a small buffer limit forces the blocked paths on small inputs. */
    static TornadoBackend openWithBufferLimit(int maxBufferFloats) {
        return new TornadoBackend(defaultDevice(), maxBufferFloats);
    }

    private static TornadoDevice defaultDevice() {
        return TornadoExecutionPlan.getDevice(0, 0);
    }

    /** Called by the provider only after TornadoVM's classes were found. */
    static TornadoBackendProvider.Probe probeDefaultDevice() {
        var map = TornadoExecutionPlan.getTornadoDeviceMap();
        if (map.getNumBackends() == 0 || map.getAllBackends().stream().allMatch(b -> b.getNumDevices() == 0))
            return new TornadoBackendProvider.Probe("TornadoVM found no device (for OpenCL on a CPU install"
                    + " pocl-opencl-icd; for a GPU its OpenCL driver)", false);
        TornadoDevice d = defaultDevice();
        TornadoDeviceType type = d.getDeviceType();
        return new TornadoBackendProvider.Probe(null, type == TornadoDeviceType.GPU || type == TornadoDeviceType.ACCELERATOR);
    }

    /** For tests: run the other GEMM kernel on this device. */
    synchronized void useGemmKernel(GemmKernel kernel) {
        this.gemmKernel = Objects.requireNonNull(kernel);
    }

    GemmKernel gemmKernel() {
        return gemmKernel;
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public List<DeviceInfo> devices() {
        String name = device.getPhysicalDevice().getDeviceName();
        String platform = device.getPlatformName();
        int units = device.getPhysicalDevice().getDeviceMaxComputeUnits();
        OpenClPeak peak = OpenClPeak.estimate(!accelerator && device.getDeviceType() == TornadoDeviceType.CPU, name, units,
                device.getPhysicalDevice().getDeviceMaxClockFrequency());
        String version = device.getDeviceOpenCLCVersion() + " (" + platform + ", " + device.getDeviceType()
                + ", TornadoVM " + device.getTornadoVMBackend() + ", GEMM kernel " + gemmKernel.name().toLowerCase()
                + "); peak " + peak.assumption();
        return List.of(new DeviceInfo("tornado", name, units, device.getMaxGlobalMemory(), version, peak.gflops()));
    }

    @Override
    public synchronized TransferBandwidth transferBandwidth(long bytes) {
        return TornadoTransfers.measure(device, bytes);
    }

    @Override
    public SelfCheck selfCheck() {
        return ReferenceSelfCheck.run(this);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable p : new AutoCloseable[] {gemm32, gemm64, meanVariance, map, scaleRows, reduce}) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Exception ignored) {
                // device memory goes with the process anyway
            }
        }
        gemm32 = gemm64 = null;
        meanVariance = null;
        map = null;
        scaleRows = null;
        reduce = null;
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    public synchronized void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                                  Accumulation accumulation) {
        int m = opA == Op.N ? a.rows() : a.cols();
        int k = opA == Op.N ? a.cols() : a.rows();
        int kb0 = opB == Op.N ? b.rows() : b.cols();
        int n = opB == Op.N ? b.cols() : b.rows();
        if (k != kb0 || c.rows() != m || c.cols() != n)
            throw new IllegalArgumentException("gemm shapes: op(A) " + m + "x" + k + ", op(B) " + kb0 + "x" + n
                    + ", C " + c.rows() + "x" + c.cols());
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(c, beta);
            return;
        }
        GemmBlocking blk = GemmBlocking.plan(m, n, k, maxBufferFloats);
        boolean wide = accumulation == Accumulation.FLOAT64;
        GemmKernel kernel = wide ? GemmKernel.ROW_BLOCKED : gemmKernel;
        GemmPlan plan = wide ? gemm64 : gemm32;
        long needA = (long) blk.mb() * blk.kb();
        long needB = (long) blk.kb() * blk.nb();
        long needC = (long) blk.mb() * blk.nb();
        if (plan == null || !plan.fits(needA, needB, needC, kernel)) {
            if (plan != null) plan.close();
            plan = new GemmPlan(device, kernel, wide, capacity(needA), capacity(needB), capacity(needC));
            if (wide) gemm64 = plan;
            else gemm32 = plan;
        }
        float[] row = new float[blk.nb()]; // one row of C when unpacking
        double[] sum = blk.kBlocks() > 1 ? new double[blk.mb() * blk.nb()] : null;
        for (int j0 = 0; j0 < n; j0 += blk.nb()) {
            int nb = Math.min(blk.nb(), n - j0);
            int nbPad = GemmBlocking.roundUp(nb, TornadoKernels.TILE);
            for (int i0 = 0; i0 < m; i0 += blk.mb()) {
                int mb = Math.min(blk.mb(), m - i0);
                int mbPad = GemmBlocking.roundUp(mb, TornadoKernels.TILE);
                if (sum != null) Arrays.fill(sum, 0);
                for (int p0 = 0; p0 < k; p0 += blk.kb()) {
                    int kb = Math.min(blk.kb(), k - p0);
                    int kbPad = GemmBlocking.roundUp(kb, TornadoKernels.TILE_K);
                    // With one depth slice the B block depends on j0 only: packed once for all row blocks.
                    boolean packB = blk.kBlocks() > 1 || i0 == 0;
                    if (plan.kernel == GemmKernel.PANEL16) {
                        TilePacking.packPanels(opA, a, i0, mb, mbPad, p0, kb, kbPad, 8, plan.a.getSegment());
                        // op(B)'s columns are the rows of op(B)^T: panels of 16 of them
                        if (packB) TilePacking.packPanels(opB == Op.N ? Op.T : Op.N, b, j0, nb, nbPad, p0, kb, kbPad, 16, plan.b.getSegment());
                    } else {
                        packA(opA, a, i0, mb, mbPad, p0, kb, kbPad, plan.a.getSegment());
                        if (packB) packB(opB, b, p0, kb, kbPad, j0, nb, nbPad, plan.b.getSegment());
                    }
                    plan.run(mbPad, nbPad, kbPad);
                    if (sum != null) accumulate(plan.c.getSegment(), mb, nb, nbPad, sum);
                }
                if (sum == null) unpackC(plan.c.getSegment(), nbPad, c, i0, mb, j0, nb, alpha, beta, row);
                else unpackC(sum, c, i0, mb, j0, nb, alpha, beta);
            }
        }
    }

    /** C = beta * C, with beta == 0 clearing C even where it held NaN. */
    private static void scaleC(FloatMatrix c, float beta) {
        for (int i = 0; i < c.rows(); i++)
            for (int j = 0; j < c.cols(); j++) c.set(i, j, beta == 0f ? 0f : beta * c.get(i, j));
    }

    /** op(A) rows i0..i0+mb, depth p0..p0+kb, into dst as mbPad x kbPad row-major with zero padding. */
    private static void packA(Op opA, FloatMatrix a, int i0, int mb, int mbPad, int p0, int kb, int kbPad,
                              MemorySegment dst) {
        TilePacking.packPadded(opA, a, i0, mb, mbPad, p0, kb, kbPad, dst);
    }

    /**
     * op(B) depth p0..p0+kb, columns j0..j0+nb, into dst as kbPad x nbPad row-major with zero padding:
     * the same packing as {@link #packA}, op(B)'s rows being the depth.
     */
    private static void packB(Op opB, FloatMatrix b, int p0, int kb, int kbPad, int j0, int nb, int nbPad,
                              MemorySegment dst) {
        packA(opB, b, p0, kb, kbPad, j0, nb, nbPad, dst);
    }

    private static void accumulate(MemorySegment prod, int mb, int nb, int nbPad, double[] sum) {
        for (int r = 0; r < mb; r++)
            for (int j = 0; j < nb; j++) sum[r * nb + j] += prod.getAtIndex(FloatMatrix.FLOAT, (long) r * nbPad + j);
    }

    /** C block = alpha * P + beta * C (beta == 0 ignores C's old values, NaN included). */
    private static void unpackC(MemorySegment prod, int nbPad, FloatMatrix c, int i0, int mb, int j0, int nb,
                                float alpha, float beta, float[] row) {
        for (int r = 0; r < mb; r++) {
            if (alpha == 1f && beta == 0f) {
                MemorySegment.copy(prod, 4L * r * nbPad, c.segment(), c.byteOffset(i0 + r, j0), 4L * nb);
                continue;
            }
            MemorySegment.copy(prod, FloatMatrix.FLOAT, 4L * r * nbPad, row, 0, nb);
            for (int j = 0; j < nb; j++) {
                float v = alpha * row[j];
                if (beta != 0f) v += beta * c.get(i0 + r, j0 + j);
                c.set(i0 + r, j0 + j, v);
            }
        }
    }

    private static void unpackC(double[] sum, FloatMatrix c, int i0, int mb, int j0, int nb, float alpha, float beta) {
        for (int r = 0; r < mb; r++) {
            for (int j = 0; j < nb; j++) {
                double v = alpha * sum[r * nb + j];
                if (beta != 0f) v += beta * (double) c.get(i0 + r, j0 + j);
                c.set(i0 + r, j0 + j, (float) v);
            }
        }
    }

    // ------------------------------------------------------------------ row statistics

    @Override
    public synchronized void rowMeanVariance(FloatMatrix a, double[] mean, double[] variance, int[] count) {
        int rows = a.rows();
        int cols = a.cols();
        if (mean.length < rows || variance.length < rows || count.length < rows)
            throw new IllegalArgumentException("output arrays shorter than " + rows + " rows");
        if (cols == 0) {
            Arrays.fill(mean, 0, rows, Double.NaN);
            Arrays.fill(variance, 0, rows, Double.NaN);
            Arrays.fill(count, 0, rows, 0);
            return;
        }
        int block = rowsPerBlock(rows, cols);
        if (meanVariance == null || !meanVariance.fits((long) block * cols, block)) {
            if (meanVariance != null) meanVariance.close();
            meanVariance = new MeanVariancePlan(device, capacity((long) block * cols), capacity(block));
        }
        for (int i0 = 0; i0 < rows; i0 += block) {
            int nr = Math.min(block, rows - i0);
            packRows(a, i0, nr, 0, cols, meanVariance.a.getSegment());
            meanVariance.run(nr, cols);
            MemorySegment.copy(meanVariance.mean.getSegment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, mean, i0, nr);
            MemorySegment.copy(meanVariance.variance.getSegment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, variance, i0, nr);
            MemorySegment.copy(meanVariance.count.getSegment(), java.lang.foreign.ValueLayout.JAVA_INT, 0, count, i0, nr);
        }
    }

    /**
     * Ranks run on the host, not the device: ranking is a sort per row, which TornadoVM has no
     * primitive for, and a device sort (bitonic per row) would move every value over the bus twice
     * for O(n log n) comparisons, which is memory-bound work a host does at the same speed. The
     * result is exactly the SPI's definition (average ranks for ties, NaN unranked).
     */
    @Override
    public void rowRanks(FloatMatrix a, FloatMatrix out) {
        if (a.rows() != out.rows() || a.cols() != out.cols())
            throw new IllegalArgumentException("shapes differ: " + a.rows() + "x" + a.cols() + " and " + out.rows() + "x" + out.cols());
        RowRanking.rankRows(a, out);
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    public synchronized void map(FloatMatrix a, ElementwiseOp op, double p1, double p2, FloatMatrix out) {
        requireSameShape(a, out);
        int rows = a.rows();
        int cols = a.cols();
        if (rows == 0 || cols == 0) return;
        int block = rowsPerBlock(rows, cols);
        if (map == null || !map.fits((long) block * cols)) {
            if (map != null) map.close();
            map = new MapPlan(device, capacity((long) block * cols));
        }
        for (int i0 = 0; i0 < rows; i0 += block) {
            int nr = Math.min(block, rows - i0);
            packRows(a, i0, nr, 0, cols, map.a.getSegment());
            map.run(nr * cols, opCode(op), p1, p2);
            unpackRows(map.out.getSegment(), out, i0, nr);
        }
    }

    @Override
    public synchronized void scaleRows(FloatMatrix a, double[] scale, double[] shift, FloatMatrix out) {
        requireSameShape(a, out);
        int rows = a.rows();
        int cols = a.cols();
        if (scale.length < rows || shift.length < rows)
            throw new IllegalArgumentException("scale and shift need " + rows + " entries");
        if (rows == 0 || cols == 0) return;
        int block = rowsPerBlock(rows, cols);
        if (scaleRows == null || !scaleRows.fits((long) block * cols, block)) {
            if (scaleRows != null) scaleRows.close();
            scaleRows = new ScaleRowsPlan(device, capacity((long) block * cols), capacity(block));
        }
        for (int i0 = 0; i0 < rows; i0 += block) {
            int nr = Math.min(block, rows - i0);
            packRows(a, i0, nr, 0, cols, scaleRows.a.getSegment());
            MemorySegment.copy(scale, i0, scaleRows.scale.getSegment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, nr);
            MemorySegment.copy(shift, i0, scaleRows.shift.getSegment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, nr);
            scaleRows.run(nr, cols);
            unpackRows(scaleRows.out.getSegment(), out, i0, nr);
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public synchronized void reduce(FloatMatrix a, Reduction reduction, Axis axis, double[] out) {
        int rows = a.rows();
        int cols = a.cols();
        int lines = axis == Axis.ROWS ? rows : cols;
        if (out.length < lines) throw new IllegalArgumentException("out needs " + lines + " entries");
        if (lines == 0) return;
        if ((axis == Axis.ROWS ? cols : rows) == 0) {
            double empty = reduction == Reduction.SUM || reduction == Reduction.COUNT ? 0 : Double.NaN;
            Arrays.fill(out, 0, lines, empty);
            return;
        }
        // Rows reduce over blocks of whole rows, columns over blocks of whole columns: each line is
        // always reduced in one piece, so no partial results need combining.
        int rowBlock = axis == Axis.ROWS ? rowsPerBlock(rows, cols) : rows;
        int colBlock = axis == Axis.ROWS ? cols : Math.max(1, Math.min(cols, maxBufferFloats / rows));
        long need = (long) rowBlock * colBlock;
        int outNeed = axis == Axis.ROWS ? rowBlock : colBlock;
        if (reduce == null || !reduce.fits(need, outNeed)) {
            if (reduce != null) reduce.close();
            reduce = new ReducePlan(device, capacity(need), capacity(outNeed));
        }
        for (int i0 = 0; i0 < rows; i0 += rowBlock) {
            int nr = Math.min(rowBlock, rows - i0);
            for (int j0 = 0; j0 < cols; j0 += colBlock) {
                int nc = Math.min(colBlock, cols - j0);
                packRows(a, i0, nr, j0, nc, reduce.a.getSegment());
                reduce.run(nr, nc, reductionCode(reduction), axis == Axis.ROWS ? 0 : 1);
                int at = axis == Axis.ROWS ? i0 : j0;
                int len = axis == Axis.ROWS ? nr : nc;
                MemorySegment.copy(reduce.out.getSegment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, out, at, len);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private int rowsPerBlock(int rows, int cols) {
        return Math.max(1, Math.min(rows, maxBufferFloats / Math.max(1, cols)));
    }

    /**
     * Buffer capacity for {@code need} elements: the next multiple of an eighth of the power of two
     * at or above it (at most 12.5 % slack), at least 1024.
     */
    static int capacity(long need) {
        if (need <= 1024) return 1024;
        long pow = Long.highestOneBit(need - 1) << 1; // next power of two >= need
        long step = Math.max(1, pow / 16);            // eighths of the octave [pow/2, pow]
        long cap = (need + step - 1) / step * step;
        if (cap > Integer.MAX_VALUE) throw new IllegalArgumentException("buffer of " + need + " elements is too large");
        return (int) cap;
    }

    private static void requireSameShape(FloatMatrix a, FloatMatrix out) {
        if (a.rows() != out.rows() || a.cols() != out.cols())
            throw new IllegalArgumentException("shapes differ: " + a.rows() + "x" + a.cols() + " and " + out.rows() + "x" + out.cols());
    }

    /** Rows i0..i0+nr, columns j0..j0+nc of a, densely into dst. */
    private static void packRows(FloatMatrix a, int i0, int nr, int j0, int nc, MemorySegment dst) {
        if (a.isDense() && j0 == 0 && nc == a.cols()) {
            MemorySegment.copy(a.segment(), a.byteOffset(i0, 0), dst, 0, 4L * nr * nc);
            return;
        }
        for (int r = 0; r < nr; r++)
            MemorySegment.copy(a.segment(), a.byteOffset(i0 + r, j0), dst, 4L * r * nc, 4L * nc);
    }

    private static void unpackRows(MemorySegment src, FloatMatrix out, int i0, int nr) {
        int nc = out.cols();
        if (out.isDense()) {
            MemorySegment.copy(src, 0, out.segment(), out.byteOffset(i0, 0), 4L * nr * nc);
            return;
        }
        for (int r = 0; r < nr; r++)
            MemorySegment.copy(src, 4L * r * nc, out.segment(), out.byteOffset(i0 + r, 0), 4L * nc);
    }

    static int opCode(ElementwiseOp op) {
        return switch (op) {
            case AFFINE -> TornadoKernels.OP_AFFINE;
            case LOG -> TornadoKernels.OP_LOG;
            case LOG2 -> TornadoKernels.OP_LOG2;
            case EXP -> TornadoKernels.OP_EXP;
            case SQRT -> TornadoKernels.OP_SQRT;
            case ABS -> TornadoKernels.OP_ABS;
            case SIGNED_POW -> TornadoKernels.OP_SIGNED_POW;
            case CLAMP -> TornadoKernels.OP_CLAMP;
            case FILL_MISSING -> TornadoKernels.OP_FILL_MISSING;
        };
    }

    static int reductionCode(Reduction r) {
        return switch (r) {
            case SUM -> TornadoKernels.RED_SUM;
            case SUM_OF_SQUARES -> TornadoKernels.RED_SUM_OF_SQUARES;
            case MIN -> TornadoKernels.RED_MIN;
            case MAX -> TornadoKernels.RED_MAX;
            case COUNT -> TornadoKernels.RED_COUNT;
        };
    }

    private static String graphName(String kernel) {
        return "omx_" + kernel + "_" + GRAPH_IDS.incrementAndGet();
    }

    /** A compiled plan of one task, with the grid that the next execution uses. */
    private abstract static class KernelPlan implements AutoCloseable {
        TornadoExecutionPlan plan;
        WorkerGrid grid;

        void build(TornadoDevice device, TaskGraph graph, String taskName, WorkerGrid grid) {
            this.grid = grid;
            this.plan = new TornadoExecutionPlan(graph.snapshot()).withDevice(device)
                    .withGridScheduler(new GridScheduler(graph.getTaskGraphName() + "." + taskName, grid));
        }

        void execute() {
            plan.execute();
        }

        @Override
        public void close() {
            try {
                plan.freeDeviceMemory();
                plan.close();
            } catch (Exception ignored) {
                // closing a plan releases device buffers; nothing to do if that already happened
            }
        }
    }

    private static final class GemmPlan extends KernelPlan {
        final GemmKernel kernel;
        final FloatArray a;
        final FloatArray b;
        final FloatArray c;
        final IntArray dims = new IntArray(3);
        /** The PANEL16 kernel sees B and C as float16 vectors over the same off-heap arrays. */
        final VectorFloat16 bVec;
        final VectorFloat16 cVec;

        GemmPlan(TornadoDevice device, GemmKernel kernel, boolean wide, int capA, int capB, int capC) {
            this.kernel = kernel;
            a = new FloatArray(capA);
            boolean vector = !wide && kernel == GemmKernel.PANEL16;
            bVec = vector ? new VectorFloat16(capB / 16) : null;
            cVec = vector ? new VectorFloat16(capC / 16) : null;
            b = vector ? bVec.getArray() : new FloatArray(capB);
            c = vector ? cVec.getArray() : new FloatArray(capC);
            KernelContext ctx = new KernelContext();
            String g = graphName("gemm");
            TaskGraph graph = new TaskGraph(g).transferToDevice(DataTransferMode.EVERY_EXECUTION, a, vector ? bVec : b, dims);
            if (wide) graph.task("t", TornadoKernels::gemmRowBlocked64, ctx, a, b, c, dims);
            else if (kernel == GemmKernel.PANEL16) graph.task("t", TornadoKernels::gemmPanel16, ctx, a, bVec, cVec, dims);
            else if (kernel == GemmKernel.ROW_BLOCKED) graph.task("t", TornadoKernels::gemmRowBlocked, ctx, a, b, c, dims);
            else graph.task("t", TornadoKernels::gemmLocalTiled, ctx, a, b, c, dims);
            graph.transferToHost(DataTransferMode.EVERY_EXECUTION, vector ? cVec : c);
            build(device, graph, "t", new WorkerGrid2D(TornadoKernels.TILE, TornadoKernels.TILE));
        }

        boolean fits(long needA, long needB, long needC, GemmKernel want) {
            return kernel == want && a.getSize() >= needA && b.getSize() >= needB && c.getSize() >= needC;
        }

        void run(int mPad, int nPad, int kPad) {
            dims.set(0, mPad);
            dims.set(1, nPad);
            dims.set(2, kPad);
            if (kernel == GemmKernel.LOCAL_TILED) {
                grid.setGlobalWork(nPad / 4, mPad / 4, 1);
                grid.setLocalWork(TornadoKernels.GROUP, TornadoKernels.GROUP, 1);
            } else if (kernel == GemmKernel.PANEL16) {
                grid.setGlobalWork(mPad / 8, nPad / 16, 1);
                grid.setLocalWork(TornadoKernels.TILE / 8, TornadoKernels.TILE / 16, 1);
            } else {
                grid.setGlobalWork(nPad, mPad / TornadoKernels.ROWS_PER_ITEM, 1);
                grid.setLocalWork(TornadoKernels.TILE, 1, 1);
            }
            execute();
        }
    }

    private static final class MeanVariancePlan extends KernelPlan {
        final FloatArray a;
        final DoubleArray mean;
        final DoubleArray variance;
        final IntArray count;
        final IntArray dims = new IntArray(2);

        MeanVariancePlan(TornadoDevice device, int capA, int capRows) {
            a = new FloatArray(capA);
            mean = new DoubleArray(capRows);
            variance = new DoubleArray(capRows);
            count = new IntArray(capRows);
            String g = graphName("rowMeanVariance");
            TaskGraph graph = new TaskGraph(g).transferToDevice(DataTransferMode.EVERY_EXECUTION, a, dims)
                    .task("t", TornadoKernels::rowMeanVariance, new KernelContext(), a, mean, variance, count, dims)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, mean, variance, count);
            build(device, graph, "t", new WorkerGrid1D(1));
        }

        boolean fits(long needA, int rows) {
            return a.getSize() >= needA && mean.getSize() >= rows;
        }

        void run(int rows, int cols) {
            dims.set(0, rows);
            dims.set(1, cols);
            grid.setGlobalWork(rows, 1, 1);
            grid.setLocalWorkToNull();
            execute();
        }
    }

    private static final class MapPlan extends KernelPlan {
        final FloatArray a;
        final FloatArray out;
        final IntArray dims = new IntArray(2);
        final DoubleArray par = new DoubleArray(2);

        MapPlan(TornadoDevice device, int cap) {
            a = new FloatArray(cap);
            out = new FloatArray(cap);
            String g = graphName("map");
            TaskGraph graph = new TaskGraph(g).transferToDevice(DataTransferMode.EVERY_EXECUTION, a, dims, par)
                    .task("t", TornadoKernels::map, new KernelContext(), a, out, dims, par)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            build(device, graph, "t", new WorkerGrid1D(1));
        }

        boolean fits(long need) {
            return a.getSize() >= need;
        }

        void run(int elements, int op, double p1, double p2) {
            dims.set(0, elements);
            dims.set(1, op);
            par.set(0, p1);
            par.set(1, p2);
            grid.setGlobalWork(elements, 1, 1);
            grid.setLocalWorkToNull();
            execute();
        }
    }

    private static final class ScaleRowsPlan extends KernelPlan {
        final FloatArray a;
        final FloatArray out;
        final DoubleArray scale;
        final DoubleArray shift;
        final IntArray dims = new IntArray(2);

        ScaleRowsPlan(TornadoDevice device, int cap, int capRows) {
            a = new FloatArray(cap);
            out = new FloatArray(cap);
            scale = new DoubleArray(capRows);
            shift = new DoubleArray(capRows);
            String g = graphName("scaleRows");
            TaskGraph graph = new TaskGraph(g).transferToDevice(DataTransferMode.EVERY_EXECUTION, a, scale, shift, dims)
                    .task("t", TornadoKernels::scaleRows, new KernelContext(), a, out, scale, shift, dims)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            build(device, graph, "t", new WorkerGrid2D(1, 1));
        }

        boolean fits(long need, int rows) {
            return a.getSize() >= need && scale.getSize() >= rows;
        }

        void run(int rows, int cols) {
            dims.set(0, rows);
            dims.set(1, cols);
            grid.setGlobalWork(cols, rows, 1);
            grid.setLocalWorkToNull();
            execute();
        }
    }

    private static final class ReducePlan extends KernelPlan {
        final FloatArray a;
        final DoubleArray out;
        final IntArray dims = new IntArray(4);

        ReducePlan(TornadoDevice device, int cap, int capOut) {
            a = new FloatArray(cap);
            out = new DoubleArray(capOut);
            String g = graphName("reduce");
            TaskGraph graph = new TaskGraph(g).transferToDevice(DataTransferMode.EVERY_EXECUTION, a, dims)
                    .task("t", TornadoKernels::reduce, new KernelContext(), a, out, dims)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            build(device, graph, "t", new WorkerGrid1D(1));
        }

        boolean fits(long need, int lines) {
            return a.getSize() >= need && out.getSize() >= lines;
        }

        void run(int rows, int cols, int reduction, int axis) {
            dims.set(0, rows);
            dims.set(1, cols);
            dims.set(2, reduction);
            dims.set(3, axis);
            grid.setGlobalWork(axis == 0 ? rows : cols, 1, 1);
            grid.setLocalWorkToNull();
            execute();
        }
    }
}
