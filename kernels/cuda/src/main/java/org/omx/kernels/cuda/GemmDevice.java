package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;

/**
 * What {@link NtGemmExecutor} needs from a device: buffers, pinned staging, copies, the NT kernel,
 * streams and events. The CUDA backend implements it with the driver API; the tests with host memory
 * and a plain product, so the executor's offsets, pitches and unpacking are checked without a GPU.
 * Streams: compute 0 and 1, copy {@link GemmSchedule#COPY_STREAM}.
 */
interface GemmDevice extends AutoCloseable {

    /** Device buffers of the float32 GEMM. */
    enum Buffer { B, A0, A1, C0, C1 }

    void allocate(Buffer buffer, long bytes);

    /** Pinned host staging of a role (B chunks 0-1, A panels 2-3, C blocks 4-5), at least {@code bytes} long. */
    MemorySegment staging(int role, long bytes);

    /** Asynchronous copy of {@code bytes} from staging {@code role} to {@code dst} at {@code dstOffset} bytes. */
    void copyIn(Buffer dst, long dstOffset, int role, long bytes, int stream);

    /** Asynchronous copy of {@code bytes} from {@code src} to staging {@code role}. */
    void copyOut(int role, Buffer src, long bytes, int stream);

    /** C(mPad x nPad, at c) = alpha A(mPad x kPad, at a + aOffset) B(nPad x kPad, at b + bOffset)^T + beta C; offsets in bytes. */
    void productNt(Buffer a, long aOffset, Buffer b, long bOffset, Buffer c, int mPad, int nPad, int kPad, float alpha,
                   float beta, int stream);

    /** Marks the end of the copy stream's work so far as chunk event {@code u}, and makes both compute streams wait for it. */
    void chunkUploaded(int u);

    /** Host waits until chunk event {@code u} has happened (its staging buffer is free). */
    void awaitChunk(int u);

    /** Host waits until everything queued on {@code stream} is done. */
    void synchronize(int stream);

    /** Frees the device buffers (staging may be kept for the next call). */
    @Override
    void close();
}
