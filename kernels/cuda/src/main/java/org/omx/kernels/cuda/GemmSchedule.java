package org.omx.kernels.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which the CUDA GEMM C = A B^T (NT kernel: A m x k and B n x k, both row-major) moves
 * operand rows and computes C blocks, planned from the device's free memory; pure Java, so the plan
 * is unit-tested without a GPU and {@link CudaBackend} only carries it out step by step.
 *
 * <p>Three modes, the first that fits {@link #MEMORY_FRACTION} of the free memory:
 * <ul>
 * <li>{@link Mode#SHARED_RESIDENT}: A's rows lie inside B (Z Z^T, or a row block of Z against Z).
 *     Z goes to the device once, in chunks of {@code panel} rows; as soon as chunk j has arrived the
 *     "L" of C it completes is computed: rows of chunk j against chunks 0..j, and rows of chunks
 *     0..j-1 against chunk j. The GPU starts after the first chunk instead of after all of Z, and A
 *     never crosses the bus on its own.
 * <li>{@link Mode#B_RESIDENT}: B goes to the device once (chunks on the copy stream), then A streams
 *     in row panels alternating between two compute streams, each panel's copy overlapping the other
 *     stream's kernel.
 * <li>{@link Mode#B_BLOCKED}: B does not fit: it is cut into blocks of {@code bBlock} rows, each
 *     crossing once, and A streams through once per block.
 * </ul>
 * Device memory (floats): resident or blocked B, plus two A panels (not in SHARED_RESIDENT) and two C
 * blocks (double buffering, one per compute stream). Host side: two pinned staging chunks for B, two
 * for A panels and two for C blocks.
 */
final class GemmSchedule {

    /** Share of the free device memory the planner uses (the rest: context, fragmentation, other users). */
    static final double MEMORY_FRACTION = 0.8;
    /** Panels per operand the planner aims for: enough to overlap copies and kernels, few enough to fill the GPU. */
    static final int TARGET_PANELS = 16;
    /** Largest panel: C blocks of at most 8192 rows keep the int row indexing of the kernels far from 2^31. */
    static final int MAX_PANEL_ROWS = 8192;
    /** Streams: the kernels alternate between 0 and 1; B's uploads run on 2. */
    static final int COPY_STREAM = 2;

    enum Mode { SHARED_RESIDENT, B_RESIDENT, B_BLOCKED }

    enum Kind {
        /** Start of a block of B's rows (C's columns): earlier kernels must be done before it is overwritten. */
        B_BLOCK,
        /** B's rows {@code col0 .. col0+cols} (padded to colsPad) to the device on the copy stream. */
        UPLOAD_B,
        /** A's rows {@code row0 ..} into the A buffer of {@code slot}, on compute stream {@code slot}. */
        UPLOAD_A,
        /** The kernel for C rows {@code row0 ..}, columns {@code col0 ..} on stream {@code slot}, then C back to the host. */
        PRODUCT
    }

    /** One step; rows/cols are the real extent, rowsPad/colsPad what the kernel and the copies cover. */
    record Step(Kind kind, int slot, int row0, int rows, int rowsPad, int col0, int cols, int colsPad) {
    }

    final Mode mode;
    final int m;
    final int n;
    final int kPad;
    /** Rows per A panel and per uploaded chunk of B (a multiple of 128). */
    final int panel;
    /** Rows of B resident at once (all of n, padded, unless B_BLOCKED). */
    final int bBlock;
    /** In SHARED_RESIDENT: C's row i is B's row aOffset + i (A = B's rows aOffset .. aOffset + m). */
    final int aOffset;
    final List<Step> steps;

    private GemmSchedule(Mode mode, int m, int n, int kPad, int panel, int bBlock, int aOffset) {
        this.mode = mode;
        this.aOffset = aOffset;
        this.m = m;
        this.n = n;
        this.kPad = kPad;
        this.panel = panel;
        this.bBlock = bBlock;
        this.steps = List.copyOf(mode == Mode.SHARED_RESIDENT ? sharedSteps() : streamedSteps());
    }

    /**
     * @param m        rows of C (of A)
     * @param n        columns of C (rows of B)
     * @param k        depth
     * @param aOffset  A's rows are B's rows aOffset .. aOffset + m (then A is read from the resident
     *                 B), or -1 when A is separate data
     * @param freeBytes the device's free memory
     */
    static GemmSchedule plan(int m, int n, int k, int aOffset, long freeBytes) {
        if (m <= 0 || n <= 0 || k <= 0) throw new IllegalArgumentException("empty GEMM " + m + " x " + n + " x " + k);
        if (aOffset >= 0 && aOffset + (long) m > n) throw new IllegalArgumentException("A's rows " + aOffset + " + " + m
                + " are not inside B's " + n);
        boolean shared = aOffset >= 0;
        int tile = LaunchGeometry.GEMM_TILE;
        int kPad = LaunchGeometry.roundUp(k, LaunchGeometry.GEMM_TILE_K);
        int mPad = LaunchGeometry.roundUp(m, tile);
        int nPad = LaunchGeometry.roundUp(n, tile);
        long budget = (long) (freeBytes * MEMORY_FRACTION) / 4; // floats
        int bigger = Math.max(mPad, nPad);
        for (int panel = preferredPanel(bigger); panel >= tile; panel = halve(panel)) {
            long cBlocks = 2L * panel * nPad;
            if (shared && (long) (nPad + tile) * kPad + cBlocks <= budget)
                return new GemmSchedule(Mode.SHARED_RESIDENT, m, n, kPad, Math.min(panel, nPad), nPad, aOffset);
            int aPanel = Math.min(panel, mPad);
            if ((long) nPad * kPad + 2L * aPanel * (kPad + nPad) <= budget)
                return new GemmSchedule(Mode.B_RESIDENT, m, n, kPad, aPanel, nPad, -1);
        }
        int aPanel = Math.min(preferredPanel(mPad), mPad);
        for (; aPanel >= tile; aPanel = halve(aPanel)) {
            // B block rows nb: nb kPad + 2 aPanel (kPad + nb) <= budget
            long nb = (budget - 2L * aPanel * kPad) / (kPad + 2L * aPanel) / tile * tile;
            if (nb >= Math.min(nPad, 4L * aPanel) || (aPanel == tile && nb >= tile))
                return new GemmSchedule(Mode.B_BLOCKED, m, n, kPad, aPanel, (int) Math.min(nb, nPad), -1);
        }
        throw new IllegalStateException("GEMM with k = " + k + " does not fit in " + freeBytes / (1 << 20)
                + " MiB of free device memory (128 rows of each operand and a 128 x 128 block of C need "
                + (4L * (2 * tile * kPad + 3L * tile * kPad + 2L * tile * tile)) / (1 << 20) + " MiB)");
    }

    /**
     * For C = A B^T with A's rows inside B's (the same memory, the same row stride and columns, as
     * when Correlation multiplies a row block of Z by Z): the row of B where A starts, else -1.
     */
    static int sharedRowOffset(org.omx.kernels.api.FloatMatrix a, org.omx.kernels.api.FloatMatrix b) {
        if (!a.segment().equals(b.segment()) || a.rowStride() != b.rowStride() || a.cols() != b.cols()) return -1;
        long diff = a.offset() - b.offset();
        long rowBytes = 4L * b.rowStride();
        if (diff < 0 || diff % rowBytes != 0) return -1;
        long row = diff / rowBytes;
        return row + a.rows() <= b.rows() ? (int) row : -1;
    }

    private static int preferredPanel(int rowsPad) {
        int p = LaunchGeometry.roundUp(LaunchGeometry.ceilDiv(rowsPad, TARGET_PANELS), LaunchGeometry.GEMM_TILE);
        return Math.min(p, MAX_PANEL_ROWS);
    }

    private static int halve(int panel) {
        return panel == LaunchGeometry.GEMM_TILE ? 0 : LaunchGeometry.roundUp(panel / 2, LaunchGeometry.GEMM_TILE);
    }

    private static int pad(int x) {
        return LaunchGeometry.roundUp(x, LaunchGeometry.GEMM_TILE);
    }

    /** The L-shaped order: chunk j of Z arrives, then C's rows j x columns 0..j and rows 0..j-1 x columns j. */
    private List<Step> sharedSteps() {
        List<Step> out = new ArrayList<>();
        out.add(new Step(Kind.B_BLOCK, 0, 0, 0, 0, 0, n, pad(n)));
        int slot = 0;
        for (int j0 = 0; j0 < n; j0 += panel) {
            int len = Math.min(panel, n - j0);
            out.add(new Step(Kind.UPLOAD_B, COPY_STREAM, 0, 0, 0, j0, len, pad(len)));
            int end = j0 + len;
            // C's rows whose B row is in this chunk, against every column that has arrived
            int lo = Math.max(j0, aOffset) - aOffset;
            int hi = Math.min(end, aOffset + m) - aOffset;
            if (hi > lo) {
                out.add(new Step(Kind.PRODUCT, slot, lo, hi - lo, pad(hi - lo), 0, end, pad(end)));
                slot ^= 1;
            }
            // C's rows whose B row arrived earlier, against this chunk's columns
            int before = Math.min(j0, aOffset + m) - aOffset;
            if (before > 0) {
                out.add(new Step(Kind.PRODUCT, slot, 0, before, pad(before), j0, len, pad(len)));
                slot ^= 1;
            }
        }
        return out;
    }

    private List<Step> streamedSteps() {
        List<Step> out = new ArrayList<>();
        int slot = 0;
        for (int b0 = 0; b0 < n; b0 += bBlock) {
            int blockCols = Math.min(bBlock, n - b0);
            out.add(new Step(Kind.B_BLOCK, 0, 0, 0, 0, b0, blockCols, pad(blockCols)));
            for (int j0 = b0; j0 < b0 + blockCols; j0 += panel) {
                int len = Math.min(panel, b0 + blockCols - j0);
                out.add(new Step(Kind.UPLOAD_B, COPY_STREAM, 0, 0, 0, j0, len, pad(len)));
            }
            for (int i0 = 0; i0 < m; i0 += panel) {
                int rows = Math.min(panel, m - i0);
                out.add(new Step(Kind.UPLOAD_A, slot, i0, rows, pad(rows), 0, 0, 0));
                out.add(new Step(Kind.PRODUCT, slot, i0, rows, pad(rows), b0, blockCols, pad(blockCols)));
                slot ^= 1;
            }
        }
        return out;
    }

    /** Host-to-device bytes of the whole schedule. */
    long hostToDeviceBytes() {
        long floats = 0;
        for (Step s : steps) {
            if (s.kind() == Kind.UPLOAD_B) floats += (long) s.colsPad() * kPad;
            if (s.kind() == Kind.UPLOAD_A) floats += (long) s.rowsPad() * kPad;
        }
        return 4 * floats;
    }

    long deviceToHostBytes() {
        long floats = 0;
        for (Step s : steps) if (s.kind() == Kind.PRODUCT) floats += (long) s.rowsPad() * s.colsPad();
        return 4 * floats;
    }

    /** How many times A's data crosses the bus (0 when it is read from the resident B). */
    double aCrossings() {
        long floats = 0;
        for (Step s : steps) if (s.kind() == Kind.UPLOAD_A) floats += (long) s.rows() * kPad;
        return (double) floats / ((long) m * kPad);
    }

    double bCrossings() {
        long floats = 0;
        for (Step s : steps) if (s.kind() == Kind.UPLOAD_B) floats += (long) s.cols() * kPad;
        return (double) floats / ((long) n * kPad);
    }

    /** Largest C block (floats): the size of each of the two C buffers, device and pinned host. */
    long cBlockFloats() {
        long max = 0;
        for (Step s : steps) if (s.kind() == Kind.PRODUCT) max = Math.max(max, (long) s.rowsPad() * s.colsPad());
        return max;
    }

    /** Rows of each of the two device and pinned A panels (0 when A is read from the resident B). */
    int aPanelRows() {
        return mode == Mode.SHARED_RESIDENT ? 0 : panel;
    }

    /**
     * Rows of B on the device at once (padded). SHARED_RESIDENT adds one tile: a product reading A at
     * B's row aOffset + row0 reads up to 127 padding rows past it, which must stay inside the allocation
     * (what they hold only reaches C's padding rows, which are never copied out).
     */
    int bResidentRows() {
        return pad(bBlock) + (mode == Mode.SHARED_RESIDENT ? LaunchGeometry.GEMM_TILE : 0);
    }

    long peakDeviceBytes() {
        return 4 * ((long) bResidentRows() * kPad + 2L * aPanelRows() * kPad + 2 * cBlockFloats());
    }

    /** Pinned host memory: two B chunks, two A panels, two C blocks. */
    long pinnedHostBytes() {
        return 4 * (2L * panel * kPad + 2L * aPanelRows() * kPad + 2 * cBlockFloats());
    }

    @Override
    public String toString() {
        return mode + " panel " + panel + " bBlock " + bBlock + " kPad " + kPad + ": " + steps.size() + " steps, H2D "
                + hostToDeviceBytes() / 1e9 + " GB, D2H " + deviceToHostBytes() / 1e9 + " GB, device peak "
                + peakDeviceBytes() / 1e9 + " GB, pinned " + pinnedHostBytes() / 1e9 + " GB";
    }
}
