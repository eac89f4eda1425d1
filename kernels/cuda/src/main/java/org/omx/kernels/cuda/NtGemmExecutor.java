package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.cuda.GemmDevice.Buffer;

/**
 * Carries out a {@link GemmSchedule} for C = op(A) op(B) as A' B'^T on the NT kernel, A' = op(A) and
 * B' = op(B)^T packed by rows (plain row copies for the usual N, T call): B' chunks on the copy stream,
 * each followed by an event the compute streams wait on; A panels and C blocks double-buffered on
 * compute streams 0 and 1, so a slot's host work (unpack its last C block, pack its next panel) runs
 * while the other slot's kernel does. In SHARED_RESIDENT A is read from the resident B'.
 */
final class NtGemmExecutor {

    private static final int C_ROLE = 4;
    private static final int A_ROLE = 2;
    private static final Buffer[] A = {Buffer.A0, Buffer.A1};
    private static final Buffer[] C = {Buffer.C0, Buffer.C1};

    private NtGemmExecutor() {
    }

    static void run(GemmDevice dev, GemmSchedule s, Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta,
                    FloatMatrix c, int k, int threads) {
        Op rowsOfB = opB == Op.T ? Op.N : Op.T; // B' = op(B)^T
        int kPad = s.kPad;
        long aBytes = 4L * s.aPanelRows() * kPad;
        long cBytesMax = 4L * s.cBlockFloats();
        boolean shared = s.mode == GemmSchedule.Mode.SHARED_RESIDENT;
        dev.allocate(Buffer.B, 4L * s.bResidentRows() * kPad);
        if (!shared) {
            dev.allocate(Buffer.A0, aBytes);
            dev.allocate(Buffer.A1, aBytes);
        }
        dev.allocate(Buffer.C0, cBytesMax);
        dev.allocate(Buffer.C1, cBytesMax);
        // staging at its largest up front: a buffer growing mid-run would drop data a copy just put there
        for (int u = 0; u < 2; u++) dev.staging(u, 4L * s.panel * kPad);
        if (!shared) for (int slot = 0; slot < 2; slot++) dev.staging(A_ROLE + slot, aBytes);
        for (int slot = 0; slot < 2; slot++) dev.staging(C_ROLE + slot, cBytesMax);
        GemmSchedule.Step[] pending = new GemmSchedule.Step[2];
        int blockStart = 0;
        int uploads = 0;
        for (GemmSchedule.Step st : s.steps) {
            switch (st.kind()) {
                case B_BLOCK -> { // the resident B' is about to be overwritten: every kernel reading it must be done
                    for (int slot = 0; slot < 2; slot++) finish(dev, slot, pending, c, cBytesMax, threads);
                    dev.synchronize(GemmSchedule.COPY_STREAM);
                    blockStart = st.col0();
                }
                case UPLOAD_B -> {
                    int u = uploads++ & 1;
                    if (uploads > 2) dev.awaitChunk(u); // the staging buffer's previous copy is done
                    long bytes = 4L * st.colsPad() * kPad;
                    HostPacking.packRowsPadded(rowsOfB, b, st.col0(), st.cols(), st.colsPad(), k, kPad,
                            dev.staging(u, 4L * s.panel * kPad), threads);
                    dev.copyIn(Buffer.B, 4L * (st.col0() - blockStart) * kPad, u, bytes, GemmSchedule.COPY_STREAM);
                    dev.chunkUploaded(u);
                }
                case UPLOAD_A -> {
                    int slot = st.slot();
                    finish(dev, slot, pending, c, cBytesMax, threads); // the slot's staging is free again
                    HostPacking.packRowsPadded(opA, a, st.row0(), st.rows(), st.rowsPad(), k, kPad,
                            dev.staging(A_ROLE + slot, aBytes), threads);
                    dev.copyIn(A[slot], 0, A_ROLE + slot, 4L * st.rowsPad() * kPad, slot);
                }
                case PRODUCT -> {
                    int slot = st.slot();
                    finish(dev, slot, pending, c, cBytesMax, threads);
                    long cBytes = 4L * st.rowsPad() * st.colsPad();
                    if (beta != 0f) {
                        MemorySegment h = dev.staging(C_ROLE + slot, cBytesMax);
                        h.asSlice(0, cBytes).fill((byte) 0);
                        for (int r = 0; r < st.rows(); r++)
                            MemorySegment.copy(c.segment(), c.byteOffset(st.row0() + r, st.col0()), h, 4L * r * st.colsPad(),
                                    4L * st.cols());
                        dev.copyIn(C[slot], 0, C_ROLE + slot, cBytes, slot);
                    }
                    Buffer aBuf = shared ? Buffer.B : A[slot];
                    long aOffset = shared ? 4L * (s.aOffset + st.row0()) * kPad : 0;
                    dev.productNt(aBuf, aOffset, Buffer.B, 4L * (st.col0() - blockStart) * kPad, C[slot], st.rowsPad(),
                            st.colsPad(), kPad, alpha, beta, slot);
                    dev.copyOut(C_ROLE + slot, C[slot], cBytes, slot);
                    pending[slot] = st;
                }
            }
        }
        for (int slot = 0; slot < 2; slot++) finish(dev, slot, pending, c, cBytesMax, threads);
    }

    /** Waits for a compute slot's last block and copies its C out of the staging buffer. */
    private static void finish(GemmDevice dev, int slot, GemmSchedule.Step[] pending, FloatMatrix c, long cBytesMax, int threads) {
        dev.synchronize(slot);
        GemmSchedule.Step p = pending[slot];
        if (p == null) return;
        HostPacking.unpack(dev.staging(C_ROLE + slot, cBytesMax), p.colsPad(), c, p.row0(), p.rows(), p.col0(), p.cols(), threads);
        pending[slot] = null;
    }
}
