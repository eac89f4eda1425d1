package org.omx.io.text;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransposingRowSinkTest {

    @Test
    void blocked_transpose_equals_the_textbook_loop_for_ragged_tile_edges() {
        int[][] shapes = {{1, 1}, {3, 1000}, {1030, 65}, {2050, 130}, {64, 64}, {1025, 1}};
        for (int[] shape : shapes) {
            long rows = shape[0];
            int cols = shape[1];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment in = arena.allocate(4 * rows * cols);
                MemorySegment out = arena.allocate(4 * rows * cols);
                for (long i = 0; i < rows * cols; i++) in.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
                // the smallest budget: tiles narrower than the matrix, so every edge case is hit
                TransposingRowSink.transpose(in, out, rows, cols, TextImportOptions.MIN_MEMORY_BYTES / 64);
                for (long r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        assertEquals(in.getAtIndex(ValueLayout.JAVA_FLOAT, r * cols + c),
                                out.getAtIndex(ValueLayout.JAVA_FLOAT, c * rows + r), rows + "x" + cols + " at " + r + "," + c);
            }
        }
    }
}
