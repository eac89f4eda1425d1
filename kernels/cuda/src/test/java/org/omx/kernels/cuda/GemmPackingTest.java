package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

/** Packing into the kernels' padded layouts from strided views, and host ranks against the CPU backend. */
class GemmPackingTest {

    private static FloatMatrix strided(SplittableRandom rnd, int rows, int cols) {
        long stride = cols + 3;
        FloatMatrix m = new FloatMatrix(MemorySegment.ofArray(new float[(int) (5 + rows * stride)]), 8, rows, cols, stride);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) rnd.nextDouble());
        return m;
    }

    @Test
    void pack_a_and_b_apply_op_and_zero_the_padding() {
        SplittableRandom rnd = new SplittableRandom(1);
        try (Arena arena = Arena.ofConfined()) {
            for (Op op : Op.values()) {
                FloatMatrix a = op == Op.N ? strided(rnd, 13, 11) : strided(rnd, 11, 13); // op(A) is 13 x 11
                MemorySegment dst = arena.allocate(4L * 128 * 16);
                dst.fill((byte) 0x7f); // garbage where padding must become zero
                GemmPacking.packA(op, a, 2, 10, 128, 1, 9, 16, dst);
                for (int r = 0; r < 128; r++)
                    for (int p = 0; p < 16; p++) {
                        float want = r < 10 && p < 9 ? (op == Op.N ? a.get(2 + r, 1 + p) : a.get(1 + p, 2 + r)) : 0f;
                        assertEquals(want, dst.getAtIndex(FloatMatrix.FLOAT, (long) r * 16 + p), "A " + op + " (" + r + "," + p + ")");
                    }
                FloatMatrix b = op == Op.N ? strided(rnd, 11, 7) : strided(rnd, 7, 11); // op(B) is 11 x 7
                MemorySegment db = arena.allocate(4L * 16 * 128);
                db.fill((byte) 0x7f);
                GemmPacking.packB(op, b, 0, 11, 16, 1, 6, 128, db);
                for (int p = 0; p < 16; p++)
                    for (int j = 0; j < 128; j++) {
                        float want = p < 11 && j < 6 ? (op == Op.N ? b.get(p, 1 + j) : b.get(1 + j, p)) : 0f;
                        assertEquals(want, db.getAtIndex(FloatMatrix.FLOAT, (long) p * 128 + j), "B " + op + " (" + p + "," + j + ")");
                    }
            }
        }
    }

    @Test
    void rows_round_trip_through_a_dense_buffer() {
        SplittableRandom rnd = new SplittableRandom(2);
        FloatMatrix a = strided(rnd, 9, 5);
        FloatMatrix out = strided(rnd, 9, 5);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4L * 9 * 5);
            GemmPacking.packRows(a, 0, 9, 0, 5, buf);
            GemmPacking.unpackRows(buf, out, 0, 9);
        }
        for (int i = 0; i < 9; i++) for (int j = 0; j < 5; j++) assertEquals(a.get(i, j), out.get(i, j));
    }
}
