package org.omx.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Host-side planning: needs no device. */
class PlanningTest {

    @Test
    void capacity_rounds_up_to_an_eighth_of_the_octave() {
        assertEquals(1024, TornadoBackend.capacity(1));
        assertEquals(1024, TornadoBackend.capacity(1024));
        for (long need : new long[] {1025, 3000, 4096, 4097, 1_000_000, 100_000_000}) {
            int cap = TornadoBackend.capacity(need);
            assertTrue(cap >= need, need + " -> " + cap);
            assertTrue(cap <= need * 1.125 + 1, need + " -> " + cap + " wastes more than 12.5 %");
        }
    }

    @Test
    void correlation_shape_fits_in_few_blocks() {
        GemmBlocking b = GemmBlocking.plan(10_000, 10_000, 1_000, TornadoBackend.MAX_BUFFER_FLOATS);
        assertEquals(1, b.kBlocks());
        assertEquals(10_048, b.nb());
        assertTrue(b.mb() % TornadoKernels.TILE == 0 && b.mb() >= 3000, "mb " + b.mb());
        assertTrue((long) b.mb() * b.nb() <= TornadoBackend.MAX_BUFFER_FLOATS);
    }

    @Test
    void every_block_fits_its_buffer() {
        int[][] shapes = {{1, 1, 1}, {100_000, 20_000, 3}, {5, 7, 10_000_000}, {20_000, 20_000, 100_000}, {65, 65, 17}};
        for (int limit : new int[] {4096, 1 << 20, TornadoBackend.MAX_BUFFER_FLOATS}) {
            for (int[] s : shapes) {
                GemmBlocking b = GemmBlocking.plan(s[0], s[1], s[2], limit);
                String what = java.util.Arrays.toString(s) + " limit " + limit + ": " + b;
                assertTrue((long) b.mb() * b.kb() <= limit, what);
                assertTrue((long) b.kb() * b.nb() <= limit, what);
                assertTrue((long) b.mb() * b.nb() <= limit, what);
                assertEquals(0, b.mb() % TornadoKernels.TILE, what);
                assertEquals(0, b.nb() % TornadoKernels.TILE, what);
                assertEquals(0, b.kb() % TornadoKernels.TILE_K, what);
                assertTrue((long) b.kb() * b.kBlocks() >= s[2], what);
            }
        }
    }
}
