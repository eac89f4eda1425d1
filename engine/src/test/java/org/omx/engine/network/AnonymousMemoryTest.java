package org.omx.engine.network;

import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

class AnonymousMemoryTest {

    @Test
    void zeroedWritableAndFreedWithItsArena() {
        FloatMatrix m;
        try (Arena arena = Arena.ofShared()) {
            m = AnonymousMemory.allocate(arena, 1000, 1037);   // 4 MB: spans huge pages, odd width
            assertEquals(1000, m.rows());
            assertEquals(1037, m.cols());
            for (int i = 0; i < 1000; i += 97) for (int j = 0; j < 1037; j += 101) assertEquals(0f, m.get(i, j));
            m.set(999, 1036, 2.5f);
            m.set(0, 0, -1f);
            assertEquals(2.5f, m.get(999, 1036));
            assertEquals(-1f, m.get(0, 0));
        }
        FloatMatrix gone = m;
        assertThrows(IllegalStateException.class, () -> gone.get(0, 0), "memory is released with the arena");
    }
}
