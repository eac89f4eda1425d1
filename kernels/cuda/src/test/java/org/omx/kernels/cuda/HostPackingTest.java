package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.TilePacking;

/** Multi-threaded packing and unpacking give exactly the single-threaded bytes. */
class HostPackingTest {

    private static FloatMatrix strided(Arena arena, SplittableRandom rnd, int rows, int cols) {
        long stride = cols + 5;
        FloatMatrix m = new FloatMatrix(arena.allocate(4L * (7 + rows * stride), 4), 12, rows, cols, stride);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) rnd.nextGaussian());
        return m;
    }

    @Test
    void parallel_pack_equals_single_threaded_pack_for_both_ops() {
        SplittableRandom rnd = new SplittableRandom(3);
        try (Arena arena = Arena.ofShared()) {
            for (Op op : Op.values()) {
                int rows = 333, k = 101, rowsPad = 384, kPad = 104, r0 = 7;
                FloatMatrix m = op == Op.N ? strided(arena, rnd, r0 + rows, k) : strided(arena, rnd, k, r0 + rows);
                MemorySegment one = arena.allocate(4L * rowsPad * kPad);
                MemorySegment many = arena.allocate(4L * rowsPad * kPad);
                MemorySegment reference = arena.allocate(4L * rowsPad * kPad);
                one.fill((byte) 0x55);
                many.fill((byte) 0x7f); // garbage that padding must overwrite
                reference.fill((byte) 0x33);
                HostPacking.packRowsPadded(op, m, r0, rows, rowsPad, k, kPad, one, 1);
                HostPacking.packRowsPadded(op, m, r0, rows, rowsPad, k, kPad, many, 8);
                TilePacking.packPadded(op, m, r0, rows, rowsPad, 0, k, kPad, reference);
                assertArrayEquals(reference.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), many.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), op.toString());
                assertArrayEquals(one.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), many.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), op.toString());
                // spot check against the matrix itself, so the reference cannot be wrong the same way
                assertEquals(op == Op.N ? m.get(r0 + 200, 50) : m.get(50, r0 + 200), many.getAtIndex(FloatMatrix.FLOAT, 200L * kPad + 50));
                assertEquals(0f, many.getAtIndex(FloatMatrix.FLOAT, 200L * kPad + 101));
                assertEquals(0f, many.getAtIndex(FloatMatrix.FLOAT, 383L * kPad + 3));
            }
        }
    }

    @Test
    void parallel_unpack_equals_row_by_row_copy_and_confined_data_stays_on_one_thread() {
        SplittableRandom rnd = new SplittableRandom(4);
        try (Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
            int rows = 300, pitch = 256, cols = 200;
            MemorySegment src = shared.allocate(4L * rows * pitch);
            for (long x = 0; x < (long) rows * pitch; x++) src.setAtIndex(FloatMatrix.FLOAT, x, (float) rnd.nextDouble());
            for (Arena arena : new Arena[] {shared, confined}) {
                FloatMatrix c = FloatMatrix.allocate(arena, rows + 10, cols + 20);
                HostPacking.unpack(src, pitch, c, 10, rows, 20, cols, 8);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) assertEquals(src.getAtIndex(FloatMatrix.FLOAT, (long) i * pitch + j), c.get(10 + i, 20 + j));
                assertEquals(0f, c.get(0, 0));
                assertEquals(0f, c.get(15, 5));
            }
            FloatMatrix m = strided(confined, rnd, 200, 30); // confined: packing must not touch it from pool threads
            MemorySegment dst = confined.allocate(4L * 256 * 32);
            HostPacking.packRowsPadded(Op.N, m, 0, 200, 256, 30, 32, dst, 8);
            assertEquals(m.get(199, 29), dst.getAtIndex(FloatMatrix.FLOAT, 199L * 32 + 29));
        }
    }
}
