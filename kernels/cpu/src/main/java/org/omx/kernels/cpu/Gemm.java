package org.omx.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

/**
 * {@code C = alpha * op(A) * op(B) + beta * C}, layered as in BLIS (Van Zee and van de Geijn,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 2015): a KC-deep slice
 * of op(B) is packed into NR-column panels, a block of op(A) into MR-row panels, and the
 * micro-kernel multiplies one A panel by one B panel with the MR x NR tile of C held in registers.
 * Packing makes every operand layout (transposed or not, any row stride, heap or native memory) look
 * the same to the micro-kernel and zero-pads edges, so the kernel itself never sees a partial tile.
 *
 * <p>Threads take rectangular blocks of C (up to A_BLOCK_FLOATS / depth rows times TASK_COLS columns) from a shared
 * counter; each block packs its own slices of A. op(B) is packed once, in parallel, before the blocks start,
 * and shared by them when it fits SHARED_B_FLOATS; otherwise each block packs its own slices of B too.
 */
final class Gemm {

    /**
     * Preferred depth of a packed slice when k must be split. Each slice is one pass over C (a load
     * and a store of every element), which for large C costs memory bandwidth that the arithmetic
     * cannot hide, so slices are as deep as the caches allow: the A micro-panel, MR x KC = 8 x 512
     * floats = 16 KiB, stays in the 48 KiB L1d while the kernel sweeps the B panels.
     */
    static final int KC = 512;
    /** Up to this k the whole inner dimension is one slice (one pass over C): A micro-panel 8 x 1024 floats = 32 KiB, two thirds of L1d. */
    static final int KC_MAX = 1024;
    /** Packed B block, KC x NC floats: 512 KiB, half of Zen 5's 1 MiB L2; B micro-panels stream from there. NC follows from the depth. */
    static final int B_BLOCK_FLOATS = 128 * 1024;
    /** Packed A block per task, rows x depth floats: at most 4 MiB per thread, in L3; each A micro-panel is read from it once per B block. */
    static final int A_BLOCK_FLOATS = 1024 * 1024;
    /** Columns of C one task covers, so short, wide products still split across threads. */
    static final int TASK_COLS = 4096;

    /** Float64 path: depth of a slice; the B micro-panel KC64 x nr64 doubles (128 x 16 = 16 KiB) stays in L1d. */
    static final int KC64 = 128;
    /** Float64 path: rows of a C block kept in a double accumulator (with NC64: 192 x 256 doubles = 384 KiB, in L2). */
    static final int MC64 = 192;
    /** Float64 path: columns of a C block; the packed B slice KC64 x NC64 doubles is 256 KiB, in L2. */
    static final int NC64 = 256;

    private final CpuKernels kernels;
    private final WorkerPool pool;

    Gemm(CpuKernels kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
    }

    void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
              Accumulation accumulation) {
        int m = opA == Op.N ? a.rows() : a.cols();
        int k = opA == Op.N ? a.cols() : a.rows();
        int kb = opB == Op.N ? b.rows() : b.cols();
        int n = opB == Op.N ? b.cols() : b.rows();
        if (k != kb || c.rows() != m || c.cols() != n)
            throw new IllegalArgumentException("gemm shapes do not agree: op(A) " + m + "x" + k + ", op(B) " + kb
                    + "x" + n + ", C " + c.rows() + "x" + c.cols());
        if (m == 0 || n == 0) return;
        boolean parallel = CpuBackend.sharable(a.segment()) && CpuBackend.sharable(b.segment())
                && CpuBackend.sharable(c.segment());
        if (k == 0 || alpha == 0f) {
            // BLAS convention: op(A) op(B) is not formed at all, so NaN in A or B does not reach C.
            scale(c, beta, parallel);
            return;
        }
        if (accumulation == Accumulation.FLOAT64) gemm64(opA, a, opB, b, alpha, beta, c, m, n, k, parallel);
        else gemm32(opA, a, opB, b, alpha, beta, c, m, n, k, parallel);
    }

    private void gemm32(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                        int m, int n, int k, boolean parallel) {
        int mr = kernels.mr();
        int nr = kernels.nr();
        int threads = parallel ? pool.threads() : 1;
        // Four row blocks per thread let a fast thread take over from a slow one (shared machines);
        // each block repacks B, about 1 / (2 * rows per block) of the arithmetic in copies.
        int depth = k <= KC_MAX ? k : ceilDiv(k, ceilDiv(k, KC)); // equal slices, none much shorter
        int nc0 = Math.max(nr, B_BLOCK_FLOATS / depth / nr * nr);
        int maxRows = Math.max(mr, A_BLOCK_FLOATS / depth / mr * mr);
        int rowBlocksWanted = Math.max(threads == 1 ? 1 : 4 * threads, ceilDiv(m, maxRows));
        int rowsPerBlock = roundUp(ceilDiv(m, rowBlocksWanted), mr);
        int rowBlocks = ceilDiv(m, rowsPerBlock);
        int colBlocks = ceilDiv(n, TASK_COLS);
        long cStride = 4L * c.rowStride();
        MemorySegment cs = c.segment();
        float[][] sharedB = rowBlocks > 1 && (long) k * roundUp(n, nr) <= SHARED_B_FLOATS
                ? packSharedB(b, opB, k, n, depth, nc0, nr, parallel) : null;
        int perTask = ceilDiv(TASK_COLS, nc0);
        pool.forEach(rowBlocks * colBlocks, parallel, (task, s) -> {
            int i0 = (task / colBlocks) * rowsPerBlock;
            int mc = Math.min(m - i0, rowsPerBlock);
            int jTask = (task % colBlocks) * TASK_COLS;
            int jEnd = Math.min(n, jTask + TASK_COLS);
            float[] packA = s.packA(roundUp(mc, mr) * depth);
            float[] ownB = sharedB != null ? null : s.packB(depth * roundUp(Math.min(nc0, jEnd - jTask), nr));
            float[] tile = s.tile(mr * nr);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                float betaNow = pc == 0 ? beta : 1f;
                packA(a, opA, i0, mc, pc, kc, mr, packA, s);
                for (int jc = jTask; jc < jEnd; jc += nc0) {
                    int nc = Math.min(nc0, jEnd - jc);
                    float[] packB = ownB;
                    if (sharedB != null) packB = sharedB[((pc / depth) * colBlocks + jTask / TASK_COLS) * perTask + (jc - jTask) / nc0];
                    else packB(b, opB, pc, kc, jc, nc, nr, packB, s);
                    // One A micro-panel against every B micro-panel of the block: C is then
                    // updated along its rows, an access pattern the hardware prefetchers follow
                    // (the column-wise order of classic GotoBLAS left C's misses exposed: 30% slower here).
                    for (int ir = 0; ir < mc; ir += mr) {
                        int rows = Math.min(mr, mc - ir);
                        for (int jr = 0; jr < nc; jr += nr) {
                            kernels.gemmTile(kc, packA, ir * kc, packB, jr * kc, tile);
                            kernels.updateC(tile, rows, Math.min(nr, nc - jr), alpha, betaNow, cs,
                                    c.byteOffset(i0 + ir, jc + jr), cStride);
                        }
                    }
                }
            }
        });
    }

    /**
     * op(B) packed once for every row block of C, its blocks (depth slice, task column block, nc0
     * columns within it, as the tasks step through them) packed in parallel: with several row blocks
     * each packed the same B before, 10 times per panel of a 10,000-feature correlation. Only while
     * all of B fits {@link #SHARED_B_FLOATS}.
     */
    private float[][] packSharedB(FloatMatrix b, Op opB, int k, int n, int depth, int nc0, int nr, boolean parallel) {
        int slices = ceilDiv(k, depth), colBlocks = ceilDiv(n, TASK_COLS), perTask = ceilDiv(TASK_COLS, nc0);
        float[][] packed = new float[slices * colBlocks * perTask][];
        pool.forEach(packed.length, parallel, (item, s) -> {
            int local = item % perTask, colBlock = (item / perTask) % colBlocks, pc = (item / perTask / colBlocks) * depth;
            int jTask = colBlock * TASK_COLS, jc = jTask + local * nc0, jEnd = Math.min(n, jTask + TASK_COLS);
            if (jc >= jEnd) return;   // past the last column of a short task block
            int kc = Math.min(depth, k - pc), nc = Math.min(nc0, jEnd - jc);
            float[] dst = new float[kc * roundUp(nc, nr)];
            packB(b, opB, pc, kc, jc, nc, nr, dst, s);
            packed[item] = dst;
        });
        return packed;
    }

    /** Largest op(B) packed once per call and shared by the row blocks: 32 MB. */
    static final long SHARED_B_FLOATS = 8L << 20;

    /**
     * Float64 accumulation: each task owns an MC64 x NC64 block of C, accumulates it in a double
     * array across the whole inner dimension and rounds to float once at the end. Simpler than the
     * float32 path (B is repacked per row block, doubles move half as many lanes per FMA): about
     * 55-60 GFLOP/s at 2048^3 on two Zen 5 cores, several times below the float32 path.
     */
    private void gemm64(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                        int m, int n, int k, boolean parallel) {
        int mr = kernels.mr64();
        int nr = kernels.nr64();
        int rowBlocks = ceilDiv(m, MC64);
        int colBlocks = ceilDiv(n, NC64);
        pool.forEach(rowBlocks * colBlocks, parallel, (task, s) -> {
            int i0 = (task / colBlocks) * MC64;
            int j0 = (task % colBlocks) * NC64;
            int mc = Math.min(MC64, m - i0);
            int nc = Math.min(NC64, n - j0);
            int mcp = roundUp(mc, mr);
            int ncp = roundUp(nc, nr);
            double[] acc = s.acc64(mcp * ncp);
            Arrays.fill(acc, 0, mcp * ncp, 0.0);
            float[] packA = s.packA(mcp * KC64);
            float[] packB = s.packB(KC64 * ncp);
            double[] packA64 = s.packA64(mcp * KC64);
            double[] packB64 = s.packB64(KC64 * ncp);
            for (int pc = 0; pc < k; pc += KC64) {
                int kc = Math.min(KC64, k - pc);
                packA(a, opA, i0, mc, pc, kc, mr, packA, s);
                packB(b, opB, pc, kc, j0, nc, nr, packB, s);
                for (int i = 0, len = mcp * kc; i < len; i++) packA64[i] = packA[i];
                for (int i = 0, len = ncp * kc; i < len; i++) packB64[i] = packB[i];
                for (int jr = 0; jr < nc; jr += nr) {
                    for (int ir = 0; ir < mc; ir += mr) {
                        kernels.gemmTile64(kc, packA64, ir * kc, packB64, jr * kc, acc, ir * ncp + jr, ncp);
                    }
                }
            }
            float[] row = s.row(nc);
            for (int i = 0; i < mc; i++) {
                FloatMatrix cRow = c.block(i0 + i, j0, 1, nc);
                if (beta != 0f) cRow.copyRow(0, row, 0);
                for (int j = 0; j < nc; j++) {
                    double v = alpha * acc[i * ncp + j];
                    if (beta != 0f) v += (double) beta * row[j];
                    row[j] = (float) v;
                }
                cRow.setRow(0, row, 0);
            }
        });
    }

    /** {@code C = beta * C}; with beta 0 every element becomes 0 whatever it held (NaN included). */
    private void scale(FloatMatrix c, float beta, boolean parallel) {
        if (beta == 1f) return;
        int rows = c.rows();
        int cols = c.cols();
        int chunk = Math.max(1, ceilDiv(rows, 4 * pool.threads()));
        pool.forEach(ceilDiv(rows, chunk), parallel, (task, s) -> {
            float[] row = s.row(cols);
            for (int i = task * chunk, end = Math.min(rows, i + chunk); i < end; i++) {
                if (beta == 0f) Arrays.fill(row, 0, cols, 0f);
                else {
                    c.copyRow(i, row, 0);
                    for (int j = 0; j < cols; j++) row[j] *= beta;
                }
                c.setRow(i, row, 0);
            }
        });
    }

    /**
     * Packs rows {@code [i0, i0 + mc)} and depth {@code [p0, p0 + kc)} of op(A) into panels of
     * {@code w} rows: element (i, p) goes to {@code (i / w) * w * kc + p * w + i % w}. Rows past
     * {@code mc} in the last panel are zero.
     */
    static void packA(FloatMatrix a, Op opA, int i0, int mc, int p0, int kc, int w, float[] dst, Scratch s) {
        if (opA == Op.N) {
            float[] row = s.row(kc);
            for (int i = 0; i < mc; i++) {
                MemorySegment.copy(a.segment(), FloatMatrix.FLOAT, a.byteOffset(i0 + i, p0), row, 0, kc);
                int base = (i / w) * w * kc + i % w;
                for (int p = 0; p < kc; p++) dst[base + p * w] = row[p];
            }
        } else {
            float[] row = s.row(mc);
            for (int p = 0; p < kc; p++) {
                // op(A)(i, p) = A(p, i): row p0 + p of A holds the whole run over i.
                MemorySegment.copy(a.segment(), FloatMatrix.FLOAT, a.byteOffset(p0 + p, i0), row, 0, mc);
                int i = 0;
                for (; i + w <= mc; i += w) System.arraycopy(row, i, dst, i * kc + p * w, w);
                for (; i < mc; i++) dst[(i / w) * w * kc + p * w + i % w] = row[i];
            }
        }
        int tail = mc % w;
        if (tail != 0) {
            int base = (mc / w) * w * kc;
            for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * w + tail, base + p * w + w, 0f);
        }
    }

    /**
     * Packs depth {@code [p0, p0 + kc)} and columns {@code [j0, j0 + nc)} of op(B) into panels of
     * {@code w} columns: element (p, j) goes to {@code (j / w) * w * kc + p * w + j % w}. Columns
     * past {@code nc} in the last panel are zero.
     */
    static void packB(FloatMatrix b, Op opB, int p0, int kc, int j0, int nc, int w, float[] dst, Scratch s) {
        if (opB == Op.N) {
            float[] row = s.row(nc);
            for (int p = 0; p < kc; p++) {
                MemorySegment.copy(b.segment(), FloatMatrix.FLOAT, b.byteOffset(p0 + p, j0), row, 0, nc);
                int j = 0;
                for (; j + w <= nc; j += w) System.arraycopy(row, j, dst, j * kc + p * w, w);
                for (; j < nc; j++) dst[(j / w) * w * kc + p * w + j % w] = row[j];
            }
        } else {
            float[] row = s.row(kc);
            for (int j = 0; j < nc; j++) {
                // op(B)(p, j) = B(j, p): row j0 + j of B holds the whole run over p.
                MemorySegment.copy(b.segment(), FloatMatrix.FLOAT, b.byteOffset(j0 + j, p0), row, 0, kc);
                int base = (j / w) * w * kc + j % w;
                for (int p = 0; p < kc; p++) dst[base + p * w] = row[p];
            }
        }
        int tail = nc % w;
        if (tail != 0) {
            int base = (nc / w) * w * kc;
            for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * w + tail, base + p * w + w, 0f);
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
