package org.omx.kernels.cuda;

import java.util.function.LongFunction;

/**
 * Buffers kept between calls, one per role, grown (never shrunk) when a call needs more. Pinning host
 * memory (cuMemAllocHost) costs about as much as copying it, ~0.2-0.3 s per GB: allocating the GEMM's
 * ~1.2 GB of staging buffers on every call would cost the correlation a tenth of its run time. Pure
 * Java over an allocator and a release action, so the reuse rules are tested without a GPU.
 *
 * @param <T> the buffer type
 */
final class StagingPool<T> implements AutoCloseable {

    private final Object[] buffers;
    private final long[] capacity;
    private final LongFunction<T> allocate;
    private final java.util.function.Consumer<T> release;

    StagingPool(int roles, LongFunction<T> allocate, java.util.function.Consumer<T> release) {
        this.buffers = new Object[roles];
        this.capacity = new long[roles];
        this.allocate = allocate;
        this.release = release;
    }

    /** The buffer of {@code role} with at least {@code bytes} bytes; its contents are undefined. */
    @SuppressWarnings("unchecked")
    T get(int role, long bytes) {
        long want = Math.max(bytes, 4);
        if (buffers[role] != null && capacity[role] >= want) return (T) buffers[role];
        if (buffers[role] != null) release.accept((T) buffers[role]);
        buffers[role] = null; // stays empty if the allocation below fails
        T b = allocate.apply(want);
        buffers[role] = b;
        capacity[role] = want;
        return b;
    }

    /** The buffer {@code role} already holds, which must have at least {@code bytes} bytes (copies never reallocate). */
    @SuppressWarnings("unchecked")
    T held(int role, long bytes) {
        if (buffers[role] == null || capacity[role] < bytes)
            throw new IllegalStateException("staging role " + role + " holds " + capacity[role] + " bytes, " + bytes + " needed");
        return (T) buffers[role];
    }

    /** Bytes held in all roles. */
    long heldBytes() {
        long sum = 0;
        for (int r = 0; r < buffers.length; r++) if (buffers[r] != null) sum += capacity[r];
        return sum;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        for (int r = 0; r < buffers.length; r++) {
            if (buffers[r] != null) release.accept((T) buffers[r]);
            buffers[r] = null;
            capacity[r] = 0;
        }
    }

}
