package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.TilePacking;

/**
 * Packing of GEMM operand rows into the NT kernel's layout (rows of op(M), depth contiguous,
 * zero-padded) and unpacking of C blocks, split over several host threads: one thread copies
 * 5-10 GB/s, too slow to feed a GPU that consumes an 8 GB operand in under two seconds. Each thread
 * writes a disjoint range of rows with the single-threaded {@link TilePacking#packPadded}, so the
 * result is byte-for-byte the single-threaded one. No CUDA calls: tested without a GPU.
 */
final class HostPacking {

    /** Rows per task: large enough that a task's copy dwarfs its scheduling, a multiple of the transpose tile. */
    static final int ROWS_PER_TASK = 64;

    private HostPacking() {
    }

    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Rows {@code r0 .. r0+rows} of op(m), depth {@code 0 .. k}, into {@code dst} as a
     * {@code rowsPad x kPad} row-major block with zero padding: in tasks of {@link #ROWS_PER_TASK}
     * rows on the common fork-join pool when {@code threads > 1} (and both segments allow other
     * threads), else on the calling thread.
     */
    static void packRowsPadded(Op op, FloatMatrix m, int r0, int rows, int rowsPad, int k, int kPad, MemorySegment dst,
                               int threads) {
        int tasks = LaunchGeometry.ceilDiv(Math.max(rows, 1), ROWS_PER_TASK);
        IntStream range = IntStream.range(0, tasks);
        if (parallel(threads, tasks, m.segment(), dst)) range = range.parallel();
        range.forEach(t -> {
            int s = t * ROWS_PER_TASK;
            int len = Math.min(ROWS_PER_TASK, rows - s);
            if (len > 0) TilePacking.packPadded(op, m, r0 + s, len, len, 0, k, kPad, dst.asSlice(4L * s * kPad, 4L * len * kPad));
        });
        if (rowsPad > rows) dst.asSlice(4L * rows * kPad, 4L * (rowsPad - rows) * kPad).fill((byte) 0);
    }

    /** Rows {@code 0 .. rows} and columns {@code 0 .. cols} of a dense block with row pitch {@code pitch} into c at (i0, j0). */
    static void unpack(MemorySegment src, int pitch, FloatMatrix c, int i0, int rows, int j0, int cols, int threads) {
        int tasks = LaunchGeometry.ceilDiv(Math.max(rows, 1), ROWS_PER_TASK);
        IntStream range = IntStream.range(0, tasks);
        if (parallel(threads, tasks, c.segment(), src)) range = range.parallel();
        range.forEach(t -> {
            for (int r = t * ROWS_PER_TASK; r < Math.min(rows, (t + 1) * ROWS_PER_TASK); r++)
                MemorySegment.copy(src, 4L * r * pitch, c.segment(), c.byteOffset(i0 + r, j0), 4L * cols);
        });
    }

    /** Several threads only where there is work for them and both segments may be touched from another thread. */
    private static boolean parallel(int threads, int tasks, MemorySegment a, MemorySegment b) {
        if (threads <= 1 || tasks <= 1) return false;
        Thread other = new Thread(() -> { });
        return a.isAccessibleBy(other) && b.isAccessibleBy(other);
    }
}
