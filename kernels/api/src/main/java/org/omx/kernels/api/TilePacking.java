package org.omx.kernels.api;

import java.lang.foreign.MemorySegment;

/**
 * Host-side packing of GEMM operand blocks for device backends, which copy dense, zero-padded
 * blocks to the device: one implementation for A and B blocks of every backend (for B, op(B)'s
 * rows are the depth).
 */
public final class TilePacking {

    /** Edge of the tiles the transposing pack goes through (16 KiB: stays in L1). */
    static final int TRANSPOSE_TILE = 64;

    private TilePacking() {
    }

    /**
     * Rows {@code r0 .. r0+rows} and columns {@code c0 .. c0+cols} of {@code op(m)} into {@code dst}
     * as a {@code rowsPad x colsPad} row-major block, the padding zeroed.
     */
    public static void packPadded(Op op, FloatMatrix m, int r0, int rows, int rowsPad, int c0, int cols, int colsPad,
                                  MemorySegment dst) {
        if (op == Op.N) {
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(m.segment(), m.byteOffset(r0 + r, c0), dst, 4L * r * colsPad, 4L * cols);
                if (colsPad > cols) dst.asSlice(4L * ((long) r * colsPad + cols), 4L * (colsPad - cols)).fill((byte) 0);
            }
        } else { // m is stored transposed: its row c is op(m)'s column c
            // Transposed through 64 x 64 tiles: reads and writes both run along rows 256 bytes at a
            // time. Writing each of m's rows straight down a column of dst touched a new cache line
            // (and, for wide blocks, a new page) per element: several times slower on large blocks.
            float[] tile = new float[TRANSPOSE_TILE * TRANSPOSE_TILE]; // tile[c * T + r]
            float[] out = new float[TRANSPOSE_TILE];
            for (int cb = 0; cb < cols; cb += TRANSPOSE_TILE) {
                int cn = Math.min(TRANSPOSE_TILE, cols - cb);
                for (int rb = 0; rb < rows; rb += TRANSPOSE_TILE) {
                    int rn = Math.min(TRANSPOSE_TILE, rows - rb);
                    for (int c = 0; c < cn; c++)
                        MemorySegment.copy(m.segment(), FloatMatrix.FLOAT, m.byteOffset(c0 + cb + c, r0 + rb), tile, c * TRANSPOSE_TILE, rn);
                    for (int r = 0; r < rn; r++) {
                        for (int c = 0; c < cn; c++) out[c] = tile[c * TRANSPOSE_TILE + r];
                        MemorySegment.copy(out, 0, dst, FloatMatrix.FLOAT, 4L * ((long) (rb + r) * colsPad + cb), cn);
                    }
                }
            }
            if (colsPad > cols)
                for (int r = 0; r < rows; r++) dst.asSlice(4L * ((long) r * colsPad + cols), 4L * (colsPad - cols)).fill((byte) 0);
        }
        if (rowsPad > rows) dst.asSlice(4L * rows * colsPad, 4L * (rowsPad - rows) * colsPad).fill((byte) 0);
    }

    /**
     * The same block as {@link #packPadded}, laid out in panels of {@code panel} rows for CPU-style
     * GEMM micro-kernels: panel {@code q} holds rows {@code q*panel ..} as {@code colsPad} groups of
     * {@code panel} consecutive floats, element (r, c) at {@code ((r / panel) * colsPad + c) * panel + r % panel}.
     * A micro-kernel stepping through c then reads one contiguous run per panel instead of
     * {@code panel} rows a whole row stride apart. {@code rowsPad} must be a multiple of {@code panel}.
     */
    public static void packPanels(Op op, FloatMatrix m, int r0, int rows, int rowsPad, int c0, int cols, int colsPad,
                                  int panel, MemorySegment dst) {
        if (rowsPad % panel != 0) throw new IllegalArgumentException("rowsPad " + rowsPad + " is not a multiple of " + panel);
        float[] buf = new float[colsPad * panel];
        float[] line = new float[Math.max(cols, panel)];
        for (int q = 0; q < rowsPad / panel; q++) {
            java.util.Arrays.fill(buf, 0f);
            int first = q * panel;
            int inPanel = Math.max(0, Math.min(panel, rows - first));
            if (op == Op.N) {
                for (int rr = 0; rr < inPanel; rr++) {
                    MemorySegment.copy(m.segment(), FloatMatrix.FLOAT, m.byteOffset(r0 + first + rr, c0), line, 0, cols);
                    for (int c = 0; c < cols; c++) buf[c * panel + rr] = line[c];
                }
            } else if (inPanel > 0) { // m is stored transposed: row c of m holds op(m)'s column c, contiguous in r
                for (int c = 0; c < cols; c++)
                    MemorySegment.copy(m.segment(), FloatMatrix.FLOAT, m.byteOffset(c0 + c, r0 + first), buf, c * panel, inPanel);
            }
            MemorySegment.copy(buf, 0, dst, FloatMatrix.FLOAT, 4L * q * colsPad * panel, buf.length);
        }
    }
}
