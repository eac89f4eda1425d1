package org.omx.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuStreamWaitEvent;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
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
import org.omx.kernels.api.TransferBandwidth;

/**
 * The CUDA backend on one device through the JCuda driver API: the primary context, the kernels of
 * omx_kernels.cu (cubin on sm_90, PTX elsewhere), two streams and pinned staging buffers.
 *
 * <p>GEMM, float32: C = op(A) op(B) as A' B'^T on the NT kernel, carried out as {@link GemmSchedule}
 * plans it from the free device memory (B' resident and crossing once where it fits, A read from it
 * when A's rows are B's, copies on a copy stream and two compute streams with events), operands
 * packed by rows on all host threads ({@link HostPacking}) into pinned buffers kept between calls.
 * Float64 accumulation: the 16 x 16 accuracy kernel in row blocks planned by {@link GemmTilePlan}. The other primitives move row blocks through one stream synchronously: they are
 * memory-bound, the transfer is the cost either way.
 *
 * <p>Calls are serialised ({@code synchronized}) and make the context current on the calling
 * thread first, so the engine may call from any thread. Ranks run on the host ({@link #rowRanks}).
 *
 * <p>Not yet run on a GPU: the host logic is unit-tested without one, the kernels are validated by
 * ptxas; the first GPU run is the self-check, which {@code Backends.open} applies before use.
 */
final class CudaBackend implements Backend {

    private static final int OP_CODES = 9;
    /** Largest staging buffer for the row-wise primitives (256 MiB). */
    private static final long MAX_ROW_BLOCK_BYTES = 256L << 20;

    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    /** Compute streams 0 and 1 (kernels, A panels, C blocks), copy stream 2 (B's chunks). */
    private final CUstream[] streams = {new CUstream(), new CUstream(), new CUstream()};
    private final CUfunction sgemm = new CUfunction();
    private final CUfunction sgemmNt = new CUfunction();
    private final CUfunction dgemm = new CUfunction();
    private final CUfunction meanVariance = new CUfunction();
    private final CUfunction map = new CUfunction();
    private final CUfunction scaleRows = new CUfunction();
    private final CUfunction reduceRows = new CUfunction();
    private final CUfunction reduceColumns = new CUfunction();
    private final String name;
    private final int ccMajor;
    private final int ccMinor;
    private final int sms;
    private final int clockKhz;
    private final long totalMemory;
    private final String image;
    private boolean closed;
    /** The float32 GEMM's pinned staging buffers, kept between calls (roles: B chunks 0-1, A panels 2-3, C blocks 4-5). */
    private final StagingPool<PinnedBuffer> staging = new StagingPool<>(6, PinnedBuffer::new, PinnedBuffer::close);

    private CudaBackend(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        device = new CUdevice();
        cuDeviceGet(device, ordinal);
        ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        sms = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        clockKhz = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
        byte[] nameBytes = new byte[256];
        cuDeviceGetName(nameBytes, nameBytes.length, device);
        name = new String(nameBytes, StandardCharsets.US_ASCII).trim().replace("\0", "");
        long[] mem = new long[1];
        cuDeviceTotalMem(mem, device);
        totalMemory = mem[0];
        context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        module = new CUmodule();
        KernelImage ptx = KernelImage.load();
        if (DriverCompatibility.choose(ccMajor, ccMinor) == DriverCompatibility.Choice.CUBIN_SM90) {
            cuModuleLoadData(module, KernelImage.resource(KernelImage.CUBIN_SM90_RESOURCE));
            image = "cubin sm_90";
        } else {
            cuModuleLoadData(module, ptx.ptxBytes());
            image = "PTX " + ptx.target() + " ISA " + ptx.ptxIsa() + " (JIT)";
        }
        cuModuleGetFunction(sgemm, module, "sgemm_128x128");
        cuModuleGetFunction(sgemmNt, module, "sgemm_nt_128x128");
        cuModuleGetFunction(dgemm, module, "dgemm_acc_16x16");
        cuModuleGetFunction(meanVariance, module, "row_mean_variance");
        cuModuleGetFunction(map, module, "map_elementwise");
        cuModuleGetFunction(scaleRows, module, "scale_rows");
        cuModuleGetFunction(reduceRows, module, "reduce_rows");
        cuModuleGetFunction(reduceColumns, module, "reduce_columns");
        for (CUstream s : streams) cuStreamCreate(s, 0);
    }

    static CudaBackend open(int ordinal) {
        return new CudaBackend(ordinal);
    }

    /** What the provider reports: null when device {@code ordinal} can run the kernels. */
    static String probe(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (count[0] <= ordinal) return "no CUDA device found by the driver";
        int[] version = new int[1];
        cuDriverGetVersion(version);
        CUdevice d = new CUdevice();
        cuDeviceGet(d, ordinal);
        int[] v = new int[1];
        cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
        int major = v[0];
        cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
        return DriverCompatibility.reason(version[0], major, v[0], KernelImage.load());
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** FP32 peak from the device's attributes; see {@link CudaPeak}. */
    double peakGflops() {
        return CudaPeak.gflops(ccMajor, ccMinor, sms, clockKhz);
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("cuda", name, sms, totalMemory,
                "compute capability " + ccMajor + "." + ccMinor + ", " + image, peakGflops()));
    }

    /**
     * Synchronous cuMemcpyHtoD / cuMemcpyDtoH between one pinned host buffer and one device buffer
     * (pinned: the DMA engine reads host memory directly, as the GEMM's staging buffers do), each
     * direction timed alone by the wall clock, best of three after a warm-up copy.
     */
    @Override
    public synchronized TransferBandwidth transferBandwidth(long bytes) {
        long size = Math.max(4, bytes);
        cuCtxSetCurrent(context);
        try (PinnedBuffer host = new PinnedBuffer(size); DeviceBuffer dev = new DeviceBuffer(size)) {
            host.segment.fill((byte) 1);
            double h2d = TransferBandwidth.bestSeconds(3, () -> cuMemcpyHtoD(dev.ptr, host.ptr, size));
            double d2h = TransferBandwidth.bestSeconds(3, () -> cuMemcpyDtoH(host.ptr, dev.ptr, size));
            return new TransferBandwidth(size, TransferBandwidth.gbPerSecond(size, h2d), TransferBandwidth.gbPerSecond(size, d2h),
                    "cuMemcpyHtoD / cuMemcpyDtoH, pinned host buffer (cuMemAllocHost), synchronous, wall clock, best of 3");
        }
    }

    @Override
    public SelfCheck selfCheck() {
        return ReferenceSelfCheck.run(this);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cuCtxSetCurrent(context);
        staging.close();
        for (CUstream s : streams) cuStreamDestroy(s);
        cuModuleUnload(module);
        cuDevicePrimaryCtxRelease(device);
    }

    // ------------------------------------------------------------------ device and pinned memory

    /** Device memory, freed by close. */
    private static final class DeviceBuffer implements AutoCloseable {
        final CUdeviceptr ptr = new CUdeviceptr();
        final long bytes;

        DeviceBuffer(long bytes) {
            this.bytes = Math.max(bytes, 4);
            cuMemAlloc(ptr, this.bytes);
        }

        @Override
        public void close() {
            cuMemFree(ptr);
        }
    }

    /** Page-locked host memory (DMA without a bounce copy, required for async copies), seen as a segment. */
    private static final class PinnedBuffer implements AutoCloseable {
        final Pointer ptr = new Pointer();
        final MemorySegment segment;

        PinnedBuffer(long bytes) {
            long b = Math.max(bytes, 4);
            cuMemAllocHost(ptr, b);
            // a ByteBuffer cannot pass 2 GiB: the segment is rebuilt from its address at full size
            segment = PinnedSegments.whole(ptr.getByteBuffer(0, Math.min(b, 64)).order(ByteOrder.nativeOrder()), b);
        }

        @Override
        public void close() {
            cuMemFreeHost(ptr);
        }
    }

    private void launch(CUfunction f, LaunchGeometry g, CUstream stream, Pointer params) {
        cuLaunchKernel(f, g.gridX(), g.gridY(), 1, g.blockX(), g.blockY(), 1, 0, stream, params, null);
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    public synchronized void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                                  Accumulation accumulation) {
        int m = opA == Op.N ? a.rows() : a.cols();
        int k = opA == Op.N ? a.cols() : a.rows();
        int n = opB == Op.N ? b.cols() : b.rows();
        if ((opB == Op.N ? b.rows() : b.cols()) != k || c.rows() != m || c.cols() != n)
            throw new IllegalArgumentException("gemm shapes do not match");
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c.set(i, j, beta == 0f ? 0f : beta * c.get(i, j));
            return;
        }
        cuCtxSetCurrent(context);
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        if (accumulation == Accumulation.FLOAT32) {
            gemmNt(opA, a, opB, b, alpha, beta, c, m, n, k, free[0]);
            return;
        }
        GemmTilePlan plan = GemmTilePlan.plan(m, n, k, free[0]);
        boolean wide = accumulation == Accumulation.FLOAT64;
        int kPad = plan.kPad();
        try (DeviceBuffer dB = new DeviceBuffer(4L * kPad * plan.nb());
             PinnedBuffer hB = new PinnedBuffer(4L * kPad * plan.nb());
             DeviceBuffer dA0 = new DeviceBuffer(4L * plan.mb() * kPad);
             DeviceBuffer dA1 = new DeviceBuffer(4L * plan.mb() * kPad);
             DeviceBuffer dC0 = new DeviceBuffer(4L * plan.mb() * plan.nb());
             DeviceBuffer dC1 = new DeviceBuffer(4L * plan.mb() * plan.nb());
             PinnedBuffer hA0 = new PinnedBuffer(4L * plan.mb() * kPad);
             PinnedBuffer hA1 = new PinnedBuffer(4L * plan.mb() * kPad);
             PinnedBuffer hC0 = new PinnedBuffer(4L * plan.mb() * plan.nb());
             PinnedBuffer hC1 = new PinnedBuffer(4L * plan.mb() * plan.nb())) {
            DeviceBuffer[] dA = {dA0, dA1};
            DeviceBuffer[] dC = {dC0, dC1};
            PinnedBuffer[] hA = {hA0, hA1};
            PinnedBuffer[] hC = {hC0, hC1};
            int[] pendingRow = {-1, -1};
            int[] pendingRows = new int[2];
            int[] pendingCol = new int[2];
            int[] pendingCols = new int[2];
            int[] pendingPitch = new int[2];
            int slot = 0;
            for (int j0 = 0; j0 < n; j0 += plan.nb()) {
                int nb = Math.min(plan.nb(), n - j0);
                int nbPad = LaunchGeometry.roundUp(nb, LaunchGeometry.GEMM_TILE);
                // B's column block is shared by both streams: wait until neither still reads the old one.
                for (int s = 0; s < 2; s++) {
                    cuStreamSynchronize(streams[s]);
                    if (pendingRow[s] >= 0) unpackC(hC[s].segment, pendingPitch[s], c, pendingRow[s], pendingRows[s],
                            pendingCol[s], pendingCols[s]);
                    pendingRow[s] = -1;
                }
                GemmPacking.packB(opB, b, 0, k, kPad, j0, nb, nbPad, hB.segment);
                cuMemcpyHtoDAsync(dB.ptr, hB.ptr, 4L * kPad * nbPad, streams[0]);
                cuStreamSynchronize(streams[0]);
                for (int i0 = 0; i0 < m; i0 += plan.mb()) {
                    int mb = Math.min(plan.mb(), m - i0);
                    int mbPad = LaunchGeometry.roundUp(mb, LaunchGeometry.GEMM_TILE);
                    CUstream st = streams[slot];
                    // The slot's previous block must have arrived before its buffers are reused.
                    cuStreamSynchronize(st);
                    if (pendingRow[slot] >= 0) unpackC(hC[slot].segment, pendingPitch[slot], c, pendingRow[slot],
                            pendingRows[slot], pendingCol[slot], pendingCols[slot]);
                    GemmPacking.packA(opA, a, i0, mb, mbPad, 0, k, kPad, hA[slot].segment);
                    cuMemcpyHtoDAsync(dA[slot].ptr, hA[slot].ptr, 4L * mbPad * kPad, st);
                    if (beta != 0f) {
                        GemmPacking.packC(c, i0, mb, j0, nb, nbPad, hC[slot].segment);
                        cuMemcpyHtoDAsync(dC[slot].ptr, hC[slot].ptr, 4L * mbPad * nbPad, st);
                    }
                    Pointer params = Pointer.to(Pointer.to(dA[slot].ptr), Pointer.to(dB.ptr), Pointer.to(dC[slot].ptr),
                            Pointer.to(new int[] {mbPad}), Pointer.to(new int[] {nbPad}), Pointer.to(new int[] {kPad}),
                            Pointer.to(new float[] {alpha}), Pointer.to(new float[] {beta}));
                    if (wide) launch(dgemm, LaunchGeometry.dgemm(mbPad, nbPad), st, params);
                    else launch(sgemm, LaunchGeometry.sgemm(mbPad, nbPad), st, params);
                    cuMemcpyDtoHAsync(hC[slot].ptr, dC[slot].ptr, 4L * mbPad * nbPad, st);
                    pendingRow[slot] = i0;
                    pendingRows[slot] = mb;
                    pendingCol[slot] = j0;
                    pendingCols[slot] = nb;
                    pendingPitch[slot] = nbPad;
                    slot ^= 1;
                }
            }
            for (int s = 0; s < 2; s++) {
                cuStreamSynchronize(streams[s]);
                if (pendingRow[s] >= 0) unpackC(hC[s].segment, pendingPitch[s], c, pendingRow[s], pendingRows[s],
                        pendingCol[s], pendingCols[s]);
            }
        }
    }

    /** The float32 GEMM: planned by {@link GemmSchedule}, carried out by {@link NtGemmExecutor} on this device. */
    private void gemmNt(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                        int m, int n, int k, long freeBytes) {
        int aOffset = opA == Op.N && opB == Op.T ? GemmSchedule.sharedRowOffset(a, b) : -1;
        GemmSchedule s = GemmSchedule.plan(m, n, k, aOffset, freeBytes);
        try (CudaGemmDevice dev = new CudaGemmDevice()) {
            NtGemmExecutor.run(dev, s, opA, a, opB, b, alpha, beta, c, k, HostPacking.defaultThreads());
        }
    }

    /** {@link GemmDevice} on the driver API: device buffers per call, pinned staging from {@link #staging}. */
    private final class CudaGemmDevice implements GemmDevice {
        private final DeviceBuffer[] buffers = new DeviceBuffer[Buffer.values().length];
        private final CUevent[] chunkDone = {new CUevent(), new CUevent()};

        CudaGemmDevice() {
            for (CUevent e : chunkDone) cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING);
        }

        @Override
        public void allocate(Buffer buffer, long bytes) {
            buffers[buffer.ordinal()] = new DeviceBuffer(bytes);
        }

        private CUdeviceptr at(Buffer buffer, long offset) {
            return buffers[buffer.ordinal()].ptr.withByteOffset(offset);
        }

        @Override
        public MemorySegment staging(int role, long bytes) {
            return staging.get(role, bytes).segment;
        }

        @Override
        public void copyIn(Buffer dst, long dstOffset, int role, long bytes, int stream) {
            cuMemcpyHtoDAsync(at(dst, dstOffset), staging.held(role, bytes).ptr, bytes, streams[stream]);
        }

        @Override
        public void copyOut(int role, Buffer src, long bytes, int stream) {
            cuMemcpyDtoHAsync(staging.held(role, bytes).ptr, at(src, 0), bytes, streams[stream]);
        }

        @Override
        public void productNt(Buffer a, long aOffset, Buffer b, long bOffset, Buffer c, int mPad, int nPad, int kPad,
                              float alpha, float beta, int stream) {
            launch(sgemmNt, LaunchGeometry.sgemmNt(mPad, nPad), streams[stream], Pointer.to(
                    Pointer.to(at(a, aOffset)), Pointer.to(at(b, bOffset)), Pointer.to(at(c, 0)),
                    Pointer.to(new int[] {mPad}), Pointer.to(new int[] {nPad}), Pointer.to(new int[] {kPad}),
                    Pointer.to(new float[] {alpha}), Pointer.to(new float[] {beta})));
        }

        @Override
        public void chunkUploaded(int u) {
            cuEventRecord(chunkDone[u], streams[GemmSchedule.COPY_STREAM]);
            for (int slot = 0; slot < 2; slot++) cuStreamWaitEvent(streams[slot], chunkDone[u], 0);
        }

        @Override
        public void awaitChunk(int u) {
            cuEventSynchronize(chunkDone[u]);
        }

        @Override
        public void synchronize(int stream) {
            cuStreamSynchronize(streams[stream]);
        }

        /** Drains every stream first: nothing may still read the staging (kept) or the device buffers (freed). */
        @Override
        public void close() {
            for (CUstream st : streams) cuStreamSynchronize(st);
            for (CUevent e : chunkDone) cuEventDestroy(e);
            for (DeviceBuffer d : buffers) if (d != null) d.close();
        }
    }

    /** The float32 GEMM planned for {@code freeBytes} of device memory (tests force the blocked modes with it). */
    synchronized void gemmFloat32(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                                  long freeBytes) {
        cuCtxSetCurrent(context);
        int m = opA == Op.N ? a.rows() : a.cols();
        int k = opA == Op.N ? a.cols() : a.rows();
        int n = opB == Op.N ? b.cols() : b.rows();
        gemmNt(opA, a, opB, b, alpha, beta, c, m, n, k, freeBytes);
    }

    private static void unpackC(MemorySegment src, int pitch, FloatMatrix c, int i0, int rows, int j0, int cols) {
        for (int r = 0; r < rows; r++)
            MemorySegment.copy(src, 4L * r * pitch, c.segment(), c.byteOffset(i0 + r, j0), 4L * cols);
    }

    // ------------------------------------------------------------------ row-wise primitives

    private int rowsPerBlock(int rows, int cols) {
        return (int) Math.max(1, Math.min(Math.min(rows, 65_535), MAX_ROW_BLOCK_BYTES / 4 / Math.max(1, cols)));
    }

    @Override
    public synchronized void rowMeanVariance(FloatMatrix a, double[] mean, double[] variance, int[] count) {
        int rows = a.rows();
        int cols = a.cols();
        if (rows == 0) return;
        cuCtxSetCurrent(context);
        int block = rowsPerBlock(rows, cols);
        CUstream st = streams[0];
        try (PinnedBuffer h = new PinnedBuffer(4L * block * cols); DeviceBuffer d = new DeviceBuffer(4L * block * cols);
             DeviceBuffer dMean = new DeviceBuffer(8L * block); DeviceBuffer dVar = new DeviceBuffer(8L * block);
             DeviceBuffer dCount = new DeviceBuffer(4L * block); PinnedBuffer hOut = new PinnedBuffer(20L * block)) {
            for (int i0 = 0; i0 < rows; i0 += block) {
                int nr = Math.min(block, rows - i0);
                GemmPacking.packRows(a, i0, nr, 0, cols, h.segment);
                cuMemcpyHtoDAsync(d.ptr, h.ptr, 4L * nr * cols, st);
                launch(meanVariance, LaunchGeometry.perRow(nr), st, Pointer.to(Pointer.to(d.ptr), Pointer.to(new int[] {nr}),
                        Pointer.to(new int[] {cols}), Pointer.to(new long[] {cols}), Pointer.to(dMean.ptr),
                        Pointer.to(dVar.ptr), Pointer.to(dCount.ptr)));
                cuMemcpyDtoHAsync(hOut.ptr, dMean.ptr, 8L * nr, st);
                cuMemcpyDtoHAsync(hOut.ptr.withByteOffset(8L * block), dVar.ptr, 8L * nr, st);
                cuMemcpyDtoHAsync(hOut.ptr.withByteOffset(16L * block), dCount.ptr, 4L * nr, st);
                cuStreamSynchronize(st);
                MemorySegment.copy(hOut.segment, ValueLayout.JAVA_DOUBLE, 0, mean, i0, nr);
                MemorySegment.copy(hOut.segment, ValueLayout.JAVA_DOUBLE, 8L * block, variance, i0, nr);
                MemorySegment.copy(hOut.segment, ValueLayout.JAVA_INT, 16L * block, count, i0, nr);
            }
        }
    }

    /**
     * Ranks run on the host: a sort per row, memory-bound, whose data would cross the bus twice;
     * the same exact result as the CPU backend (average ranks for ties, NaN unranked).
     */
    @Override
    public void rowRanks(FloatMatrix a, FloatMatrix out) {
        RowRanking.rankRows(a, out);
    }

    @Override
    public synchronized void map(FloatMatrix a, ElementwiseOp op, double p1, double p2, FloatMatrix out) {
        if (op.ordinal() >= OP_CODES) throw new IllegalArgumentException("no kernel for " + op);
        rowBlocks(a, out, null, null, op.ordinal(), p1, p2);
    }

    @Override
    public synchronized void scaleRows(FloatMatrix a, double[] scale, double[] shift, FloatMatrix out) {
        rowBlocks(a, out, scale, shift, -1, 0, 0);
    }

    /** map (scale == null) or scaleRows through one stream, a block of rows at a time. */
    private void rowBlocks(FloatMatrix a, FloatMatrix out, double[] scale, double[] shift, int op, double p1, double p2) {
        int rows = a.rows();
        int cols = a.cols();
        if (rows == 0 || cols == 0) return;
        cuCtxSetCurrent(context);
        int block = rowsPerBlock(rows, cols);
        CUstream st = streams[0];
        try (PinnedBuffer h = new PinnedBuffer(4L * block * cols); DeviceBuffer d = new DeviceBuffer(4L * block * cols);
             PinnedBuffer hs = new PinnedBuffer(16L * block); DeviceBuffer ds = new DeviceBuffer(16L * block)) {
            for (int i0 = 0; i0 < rows; i0 += block) {
                int nr = Math.min(block, rows - i0);
                GemmPacking.packRows(a, i0, nr, 0, cols, h.segment);
                cuMemcpyHtoDAsync(d.ptr, h.ptr, 4L * nr * cols, st);
                if (scale == null) {
                    long elems = (long) nr * cols;
                    launch(map, LaunchGeometry.gridStride(elems), st, Pointer.to(Pointer.to(d.ptr), Pointer.to(d.ptr),
                            Pointer.to(new long[] {elems}), Pointer.to(new int[] {op}), Pointer.to(new double[] {p1}),
                            Pointer.to(new double[] {p2})));
                } else {
                    MemorySegment.copy(scale, i0, hs.segment, ValueLayout.JAVA_DOUBLE, 0, nr);
                    MemorySegment.copy(shift, i0, hs.segment, ValueLayout.JAVA_DOUBLE, 8L * block, nr);
                    cuMemcpyHtoDAsync(ds.ptr, hs.ptr, 16L * block, st);
                    launch(scaleRows, LaunchGeometry.elementwise2d(nr, cols), st, Pointer.to(Pointer.to(d.ptr),
                            Pointer.to(d.ptr), Pointer.to(new int[] {nr}), Pointer.to(new int[] {cols}),
                            Pointer.to(new long[] {cols}), Pointer.to(ds.ptr), Pointer.to(ds.ptr.withByteOffset(8L * block))));
                }
                cuMemcpyDtoHAsync(h.ptr, d.ptr, 4L * nr * cols, st);
                cuStreamSynchronize(st);
                GemmPacking.unpackRows(h.segment, out, i0, nr);
            }
        }
    }

    @Override
    public synchronized void reduce(FloatMatrix a, Reduction reduction, Axis axis, double[] out) {
        int rows = a.rows();
        int cols = a.cols();
        int lines = axis == Axis.ROWS ? rows : cols;
        if (lines == 0) return;
        if ((axis == Axis.ROWS ? cols : rows) == 0) {
            java.util.Arrays.fill(out, 0, lines, reduction == Reduction.SUM || reduction == Reduction.COUNT ? 0 : Double.NaN);
            return;
        }
        cuCtxSetCurrent(context);
        int rowBlock = axis == Axis.ROWS ? rowsPerBlock(rows, cols) : rows;
        int colBlock = axis == Axis.ROWS ? cols : (int) Math.max(1, Math.min(cols, MAX_ROW_BLOCK_BYTES / 4 / rows));
        CUstream st = streams[0];
        try (PinnedBuffer h = new PinnedBuffer(4L * rowBlock * colBlock); DeviceBuffer d = new DeviceBuffer(4L * rowBlock * colBlock);
             DeviceBuffer dOut = new DeviceBuffer(8L * Math.max(rowBlock, colBlock));
             PinnedBuffer hOut = new PinnedBuffer(8L * Math.max(rowBlock, colBlock))) {
            for (int i0 = 0; i0 < rows; i0 += rowBlock) {
                int nr = Math.min(rowBlock, rows - i0);
                for (int j0 = 0; j0 < cols; j0 += colBlock) {
                    int nc = Math.min(colBlock, cols - j0);
                    GemmPacking.packRows(a, i0, nr, j0, nc, h.segment);
                    cuMemcpyHtoDAsync(d.ptr, h.ptr, 4L * nr * nc, st);
                    Pointer params = Pointer.to(Pointer.to(d.ptr), Pointer.to(new int[] {nr}), Pointer.to(new int[] {nc}),
                            Pointer.to(new long[] {nc}), Pointer.to(new int[] {reduction.ordinal()}), Pointer.to(dOut.ptr));
                    if (axis == Axis.ROWS) launch(reduceRows, LaunchGeometry.perRow(nr), st, params);
                    else launch(reduceColumns, LaunchGeometry.perColumn(nc), st, params);
                    int len = axis == Axis.ROWS ? nr : nc;
                    cuMemcpyDtoHAsync(hOut.ptr, dOut.ptr, 8L * len, st);
                    cuStreamSynchronize(st);
                    MemorySegment.copy(hOut.segment, ValueLayout.JAVA_DOUBLE, 0, out, axis == Axis.ROWS ? i0 : j0, len);
                }
            }
        }
    }
}
