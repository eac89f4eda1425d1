package org.omx.kernels.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TilePackingTest {

    /** A 7 x 11 matrix whose element (i, j) is 100 i + j + 1, so every misplaced value shows. */
    private static FloatMatrix numbered(Arena arena) {
        FloatMatrix m = FloatMatrix.allocate(arena, 7, 11);
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 11; j++) m.set(i, j, 100 * i + j + 1);
        return m;
    }

    @Test
    void panels_hold_each_element_at_its_panel_offset_and_zero_padding_for_both_ops() {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix m = numbered(arena);
            int panel = 4;
            for (Op op : Op.values()) {
                // block of op(m): rows r0.., cols c0..; op(m) is 7 x 11 (N) or 11 x 7 (T)
                int r0 = 1, rows = op == Op.N ? 5 : 9, c0 = 2, cols = op == Op.N ? 8 : 4;
                int rowsPad = 12, colsPad = 10;
                MemorySegment dst = arena.allocate(4L * rowsPad * colsPad).fill((byte) 0x7f); // garbage
                TilePacking.packPanels(op, m, r0, rows, rowsPad, c0, cols, colsPad, panel, dst);
                for (int r = 0; r < rowsPad; r++) {
                    for (int c = 0; c < colsPad; c++) {
                        float want = r < rows && c < cols
                                ? (op == Op.N ? m.get(r0 + r, c0 + c) : m.get(c0 + c, r0 + r)) : 0f;
                        long at = ((long) (r / panel) * colsPad + c) * panel + r % panel;
                        assertEquals(want, dst.getAtIndex(FloatMatrix.FLOAT, at), op + " (" + r + ", " + c + ")");
                    }
                }
            }
        }
    }

    @Test
    void padded_row_major_block_for_both_ops_across_several_transpose_tiles() {
        try (Arena arena = Arena.ofConfined()) {
            int rowsM = 150, colsM = 140; // more than two 64-wide tiles each way, with ragged edges
            FloatMatrix m = FloatMatrix.allocate(arena, rowsM, colsM);
            for (int i = 0; i < rowsM; i++)
                for (int j = 0; j < colsM; j++) m.set(i, j, 1000 * i + j + 1);
            for (Op op : Op.values()) {
                int r0 = 3, c0 = 5;
                int rows = (op == Op.N ? rowsM : colsM) - r0 - 2, cols = (op == Op.N ? colsM : rowsM) - c0 - 1;
                int rowsPad = rows + 7, colsPad = cols + 9;
                MemorySegment dst = arena.allocate(4L * rowsPad * colsPad).fill((byte) 0x7f);
                TilePacking.packPadded(op, m, r0, rows, rowsPad, c0, cols, colsPad, dst);
                for (int r = 0; r < rowsPad; r++)
                    for (int c = 0; c < colsPad; c++) {
                        float want = r < rows && c < cols ? (op == Op.N ? m.get(r0 + r, c0 + c) : m.get(c0 + c, r0 + r)) : 0f;
                        assertEquals(want, dst.getAtIndex(FloatMatrix.FLOAT, (long) r * colsPad + c), op + " (" + r + ", " + c + ")");
                    }
            }
        }
    }

    @Test
    void panels_need_a_padded_height_that_is_a_multiple_of_the_panel() {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix m = numbered(arena);
            MemorySegment dst = arena.allocate(4L * 7 * 11);
            assertThrows(IllegalArgumentException.class, () -> TilePacking.packPanels(Op.N, m, 0, 7, 7, 0, 11, 11, 4, dst));
        }
    }
}
