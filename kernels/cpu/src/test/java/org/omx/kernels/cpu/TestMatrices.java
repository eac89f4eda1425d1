package org.omx.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.omx.kernels.api.FloatMatrix;

/** Test inputs: random matrices as dense or strided views, on the heap or in native memory. */
final class TestMatrices {

    /** How a test matrix is laid out. */
    enum Layout {
        DENSE_HEAP, STRIDED_HEAP, DENSE_NATIVE, STRIDED_NATIVE;

        boolean strided() {
            return this == STRIDED_HEAP || this == STRIDED_NATIVE;
        }

        boolean isNative() {
            return this == DENSE_NATIVE || this == STRIDED_NATIVE;
        }
    }

    private TestMatrices() {
    }

    /** An uninitialized (zero) matrix; strided layouts get 5 spare columns and an offset of 3 floats. */
    static FloatMatrix allocate(Arena arena, Layout layout, int rows, int cols) {
        long stride = layout.strided() ? cols + 5 : cols;
        long offset = layout.strided() ? 3 : 0;
        long floats = Math.max(1, offset + rows * stride);
        MemorySegment seg = layout.isNative() ? arena.allocate(4 * floats, 4)
                : MemorySegment.ofArray(new float[(int) floats]);
        // Poison the gaps so a kernel that reads or writes outside the view is noticed.
        for (long i = 0; i < floats; i++) seg.setAtIndex(FloatMatrix.FLOAT, i, 12345f);
        FloatMatrix m = new FloatMatrix(seg, 4 * offset, rows, cols, stride);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, 0f);
        return m;
    }

    static FloatMatrix random(Arena arena, Layout layout, int rows, int cols, SplittableRandom rnd) {
        FloatMatrix m = allocate(arena, layout, rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    /** True when every float of the segment outside the view still holds the poison value. */
    static boolean gapsUntouched(FloatMatrix m) {
        long n = m.segment().byteSize() / 4;
        long first = m.offset() / 4;
        for (long idx = 0; idx < n; idx++) {
            long rel = idx - first;
            boolean inside = rel >= 0 && rel / m.rowStride() < m.rows() && rel % m.rowStride() < m.cols();
            if (!inside && m.segment().getAtIndex(FloatMatrix.FLOAT, idx) != 12345f) return false;
        }
        return true;
    }

    static double[][] toDouble(FloatMatrix m) {
        double[][] d = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) d[i][j] = m.get(i, j);
        return d;
    }
}
