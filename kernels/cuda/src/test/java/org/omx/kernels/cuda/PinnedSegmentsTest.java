package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;

/** The whole-allocation view of a native buffer, as built for cuMemAllocHost memory (here: an arena's). */
class PinnedSegmentsTest {

    @Test
    void whole_segment_starts_at_the_buffer_and_reaches_past_its_capacity() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = arena.allocate(1 << 20, 64);
            ByteBuffer head = native_.asSlice(0, 64).asByteBuffer(); // what JCuda's getByteBuffer(0, small) gives
            MemorySegment whole = PinnedSegments.whole(head, native_.byteSize());
            assertEquals(native_.address(), whole.address());
            assertEquals(native_.byteSize(), whole.byteSize());
            whole.setAtIndex(FloatMatrix.FLOAT, (1 << 18) - 1, 3.5f); // the last float, far past the 64-byte head
            assertEquals(3.5f, native_.getAtIndex(FloatMatrix.FLOAT, (1 << 18) - 1));
        }
        assertThrows(IllegalArgumentException.class, () -> PinnedSegments.whole(ByteBuffer.allocate(8), 8));
    }
}
