package org.omx.kernels.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A row-major float32 matrix view over a {@link MemorySegment}: a tile of a memory-mapped store,
 * a native buffer or a heap array. Element (i, j) lives at byte
 * {@code offset + 4 * (i * rowStride + j)}. Views never copy; {@link #rows(int, int)} and
 * {@link #block} slice without touching the data.
 *
 * @param segment   the memory holding the elements
 * @param offset    byte offset of element (0, 0) within the segment
 * @param rows      number of rows
 * @param cols      number of columns
 * @param rowStride elements between the starts of consecutive rows (the leading dimension), {@code >= cols}
 */
public record FloatMatrix(MemorySegment segment, long offset, int rows, int cols, long rowStride) {

    /** Element layout: stores put the data at a 64-byte boundary, but views may start anywhere. */
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public FloatMatrix {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        if (rowStride < cols) throw new IllegalArgumentException("rowStride " + rowStride + " < cols " + cols);
        if (rows > 0 && cols > 0) {
            long lastByte = offset + 4L * ((rows - 1) * rowStride + cols);
            if (offset < 0 || lastByte > segment.byteSize())
                throw new IndexOutOfBoundsException("view " + rows + "x" + cols + " at " + offset
                        + " exceeds segment of " + segment.byteSize() + " bytes");
        }
    }

    /** A dense view of a heap array holding {@code rows * cols} elements in row-major order. */
    public static FloatMatrix wrap(float[] data, int rows, int cols) {
        if ((long) rows * cols > data.length) throw new IllegalArgumentException("array too small for " + rows + "x" + cols);
        return new FloatMatrix(MemorySegment.ofArray(data), 0, rows, cols, cols);
    }

    /** A zeroed dense matrix allocated in the given arena. */
    public static FloatMatrix allocate(Arena arena, int rows, int cols) {
        MemorySegment s = arena.allocate(Math.max(4L, 4L * rows * cols), 64);
        return new FloatMatrix(s, 0, rows, cols, cols);
    }

    public float get(int i, int j) {
        return segment.get(FLOAT, offset + 4L * (i * rowStride + j));
    }

    public void set(int i, int j, float v) {
        segment.set(FLOAT, offset + 4L * (i * rowStride + j), v);
    }

    /** Byte offset of element (i, j) within {@link #segment()}. */
    public long byteOffset(int i, int j) {
        return offset + 4L * (i * rowStride + j);
    }

    /** Rows {@code [start, start + count)} as a view. */
    public FloatMatrix rows(int start, int count) {
        return block(start, 0, count, cols);
    }

    /** The {@code nRows x nCols} block whose top-left element is (i, j), as a view. */
    public FloatMatrix block(int i, int j, int nRows, int nCols) {
        if (i < 0 || j < 0 || nRows < 0 || nCols < 0 || i + nRows > rows || j + nCols > cols)
            throw new IndexOutOfBoundsException("block " + nRows + "x" + nCols + " at (" + i + "," + j
                    + ") outside " + rows + "x" + cols);
        return new FloatMatrix(segment, offset + 4L * (i * rowStride + j), nRows, nCols, rowStride);
    }

    /** True when rows follow each other without gaps, so the view is one contiguous run. */
    public boolean isDense() {
        return rowStride == cols;
    }

    /** Copies the elements into a new row-major heap array (tests and small results only). */
    public float[] toArray() {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            MemorySegment.copy(segment, FLOAT, byteOffset(i, 0), out, i * cols, cols);
        return out;
    }

    /** Copies row i into {@code dst[dstPos .. dstPos + cols)}. */
    public void copyRow(int i, float[] dst, int dstPos) {
        MemorySegment.copy(segment, FLOAT, byteOffset(i, 0), dst, dstPos, cols);
    }

    /** Copies {@code src[srcPos .. srcPos + cols)} into row i. */
    public void setRow(int i, float[] src, int srcPos) {
        MemorySegment.copy(src, srcPos, segment, FLOAT, byteOffset(i, 0), cols);
    }
}
