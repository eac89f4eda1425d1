package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Host memory allocated outside Java (cuMemAllocHost) seen as one MemorySegment of any size. JCuda
 * hands out a {@code ByteBuffer}, which int-indexing caps at 2 GiB (the staging buffers were capped at
 * 1 GiB for that reason); the segment is rebuilt from the buffer's address with
 * {@link MemorySegment#reinterpret(long)}, so a pinned buffer can hold a whole operand.
 */
final class PinnedSegments {

    private PinnedSegments() {
    }

    /** The {@code bytes} bytes starting where {@code head} (a direct view of the allocation's start) starts. */
    static MemorySegment whole(ByteBuffer head, long bytes) {
        if (!head.isDirect()) throw new IllegalArgumentException("not a native buffer");
        long address = MemorySegment.ofBuffer(head).address();
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }
}
