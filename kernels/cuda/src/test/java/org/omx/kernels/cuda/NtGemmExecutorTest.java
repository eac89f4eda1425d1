package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.cuda.GemmDevice.Buffer;

/**
 * The GEMM executor on a host-memory device: every buffer offset, pitch, staging role and unpack of
 * the float32 path checked against a double-precision product, in all three schedule modes, without a
 * GPU. Copies run at once (ordering is GemmScheduleTest's job); a read or write outside a buffer, a
 * copy from a staging buffer that is missing or too small, fails.
 */
class NtGemmExecutorTest {

    /** Device buffers and staging in host memory; the kernel is a plain product over the padded extents. */
    static final class HostDevice implements GemmDevice {
        final Arena arena = Arena.ofShared();
        final MemorySegment[] buffers = new MemorySegment[Buffer.values().length];
        final StagingPool<MemorySegment> staging = new StagingPool<>(6, bytes -> arena.allocate(bytes, 64), s -> { });
        long bytesToB;
        long bytesToA;
        long bytesFromC;
        int chunks;

        @Override
        public void allocate(Buffer buffer, long bytes) {
            MemorySegment s = arena.allocate(Math.max(bytes, 4), 64);
            s.fill((byte) 0x7f); // uninitialised device memory: must never reach C
            buffers[buffer.ordinal()] = s;
        }

        @Override
        public MemorySegment staging(int role, long bytes) {
            return staging.get(role, bytes);
        }

        @Override
        public void copyIn(Buffer dst, long dstOffset, int role, long bytes, int stream) {
            MemorySegment.copy(staging.held(role, bytes), 0, buffers[dst.ordinal()], dstOffset, bytes);
            if (dst == Buffer.B) bytesToB += bytes;
            if (dst == Buffer.A0 || dst == Buffer.A1) bytesToA += bytes;
        }

        @Override
        public void copyOut(int role, Buffer src, long bytes, int stream) {
            MemorySegment.copy(buffers[src.ordinal()], 0, staging.held(role, bytes), 0, bytes);
            bytesFromC += bytes;
        }

        @Override
        public void productNt(Buffer a, long aOffset, Buffer b, long bOffset, Buffer c, int mPad, int nPad, int kPad,
                              float alpha, float beta, int stream) {
            assertEquals(0, mPad % 128);
            assertEquals(0, nPad % 128);
            MemorySegment as = buffers[a.ordinal()].asSlice(aOffset, 4L * mPad * kPad); // throws when out of the buffer
            MemorySegment bs = buffers[b.ordinal()].asSlice(bOffset, 4L * nPad * kPad);
            MemorySegment cs = buffers[c.ordinal()].asSlice(0, 4L * mPad * nPad);
            for (int i = 0; i < mPad; i++)
                for (int j = 0; j < nPad; j++) {
                    double sum = 0;
                    for (int p = 0; p < kPad; p++)
                        sum += (double) as.getAtIndex(FloatMatrix.FLOAT, (long) i * kPad + p) * bs.getAtIndex(FloatMatrix.FLOAT, (long) j * kPad + p);
                    long at = (long) i * nPad + j;
                    float old = beta != 0f ? cs.getAtIndex(FloatMatrix.FLOAT, at) : 0f;
                    cs.setAtIndex(FloatMatrix.FLOAT, at, (float) (alpha * sum + beta * old));
                }
        }

        @Override
        public void chunkUploaded(int u) {
            chunks++;
        }

        @Override
        public void awaitChunk(int u) {
        }

        @Override
        public void synchronize(int stream) {
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private static FloatMatrix random(Arena arena, SplittableRandom rnd, int rows, int cols) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    private static float opGet(Op op, FloatMatrix m, int i, int j) {
        return op == Op.N ? m.get(i, j) : m.get(j, i);
    }

    /** Runs the executor and compares C with alpha op(A) op(B) + beta C0 in double. */
    private static GemmSchedule check(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c,
                                      long freeBytes) {
        int m = c.rows(), n = c.cols(), k = opA == Op.N ? a.cols() : a.rows();
        float[][] before = new float[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) before[i][j] = c.get(i, j);
        int aOffset = opA == Op.N && opB == Op.T ? GemmSchedule.sharedRowOffset(a, b) : -1;
        GemmSchedule s = GemmSchedule.plan(m, n, k, aOffset, freeBytes);
        try (HostDevice dev = new HostDevice()) {
            NtGemmExecutor.run(dev, s, opA, a, opB, b, alpha, beta, c, k, 2);
            assertEquals(s.hostToDeviceBytes(), dev.bytesToB + dev.bytesToA, s.toString());
            assertEquals(s.deviceToHostBytes(), dev.bytesFromC);
            assertEquals(s.steps.stream().filter(st -> st.kind() == GemmSchedule.Kind.UPLOAD_B).count(), dev.chunks);
        }
        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double want = beta * before[i][j];
                double dot = 0;
                for (int p = 0; p < k; p++) dot += (double) opGet(opA, a, i, p) * opGet(opB, b, p, j);
                want += alpha * dot;
                worst = Math.max(worst, Math.abs(want - c.get(i, j)));
            }
        assertTrue(worst <= 1e-5, s.mode + ": max abs error " + worst); // products in double, one float rounding
        return s;
    }

    @Test
    void row_block_of_z_against_z_in_the_shared_and_blocked_modes() {
        SplittableRandom rnd = new SplittableRandom(21);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix z = random(arena, rnd, 330, 37);
            FloatMatrix a = z.rows(150, 120);
            assertEquals(GemmSchedule.Mode.SHARED_RESIDENT, check(Op.N, a, Op.T, z, 1f, 0f, FloatMatrix.allocate(arena, 120, 330), 1L << 30).mode);
            GemmSchedule blocked = check(Op.N, a, Op.T, z, 1f, 0f, FloatMatrix.allocate(arena, 120, 330), 300_000);
            assertEquals(GemmSchedule.Mode.B_BLOCKED, blocked.mode, blocked.toString());
            assertTrue(blocked.bBlock < 330, blocked.toString());
            FloatMatrix whole = FloatMatrix.allocate(arena, 330, 330);
            assertEquals(GemmSchedule.Mode.SHARED_RESIDENT, check(Op.N, z, Op.T, z, 1f, 0f, whole, 1L << 30).mode);
            assertTrue(Math.abs(whole.get(5, 200) - whole.get(200, 5)) <= 1e-6f, "Z Z^T symmetric across L-steps");
        }
    }

    @Test
    void transposed_operands_alpha_and_beta_with_b_resident_and_blocked() {
        SplittableRandom rnd = new SplittableRandom(22);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix at = random(arena, rnd, 29, 140);  // op(A) = at^T: 140 x 29
            FloatMatrix b = random(arena, rnd, 29, 260);   // op(B) = b: 29 x 260, packed transposed
            FloatMatrix c = random(arena, rnd, 140, 260);
            assertEquals(GemmSchedule.Mode.B_RESIDENT, check(Op.T, at, Op.N, b, 0.5f, -1f, c, 1L << 30).mode);
            FloatMatrix c2 = random(arena, rnd, 140, 260);
            assertEquals(GemmSchedule.Mode.B_BLOCKED, check(Op.T, at, Op.N, b, 2f, 0.25f, c2, 500_000).mode);
        }
    }
}
