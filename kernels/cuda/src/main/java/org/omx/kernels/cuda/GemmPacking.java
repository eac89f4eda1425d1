package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

/**
 * Host-side data movement between FloatMatrix views (any stride, heap or native) and the dense,
 * zero-padded layouts the kernels expect, plus host ranks. No CUDA calls: tested without a GPU.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** op(A) rows i0..i0+mb, depth p0..p0+kb, into dst as mbPad x kbPad row-major, zero padding. */
    static void packA(Op opA, FloatMatrix a, int i0, int mb, int mbPad, int p0, int kb, int kbPad, MemorySegment dst) {
        if (opA == Op.N) {
            for (int r = 0; r < mb; r++) {
                MemorySegment.copy(a.segment(), a.byteOffset(i0 + r, p0), dst, 4L * r * kbPad, 4L * kb);
                if (kbPad > kb) dst.asSlice(4L * ((long) r * kbPad + kb), 4L * (kbPad - kb)).fill((byte) 0);
            }
        } else { // A is stored k x m: its row p is op(A)'s column p
            float[] row = new float[mb];
            for (int p = 0; p < kb; p++) {
                MemorySegment.copy(a.segment(), FloatMatrix.FLOAT, a.byteOffset(p0 + p, i0), row, 0, mb);
                for (int r = 0; r < mb; r++) dst.setAtIndex(FloatMatrix.FLOAT, (long) r * kbPad + p, row[r]);
            }
            if (kbPad > kb)
                for (int r = 0; r < mb; r++) dst.asSlice(4L * ((long) r * kbPad + kb), 4L * (kbPad - kb)).fill((byte) 0);
        }
        if (mbPad > mb) dst.asSlice(4L * mb * kbPad, 4L * (mbPad - mb) * kbPad).fill((byte) 0);
    }

    /** op(B) depth p0..p0+kb, columns j0..j0+nb, into dst as kbPad x nbPad row-major, zero padding. */
    static void packB(Op opB, FloatMatrix b, int p0, int kb, int kbPad, int j0, int nb, int nbPad, MemorySegment dst) {
        if (opB == Op.N) {
            for (int p = 0; p < kb; p++) {
                MemorySegment.copy(b.segment(), b.byteOffset(p0 + p, j0), dst, 4L * p * nbPad, 4L * nb);
                if (nbPad > nb) dst.asSlice(4L * ((long) p * nbPad + nb), 4L * (nbPad - nb)).fill((byte) 0);
            }
        } else { // B is stored n x k (the correlation form A B^T): its row j is op(B)'s column j
            float[] row = new float[kb];
            for (int j = 0; j < nb; j++) {
                MemorySegment.copy(b.segment(), FloatMatrix.FLOAT, b.byteOffset(j0 + j, p0), row, 0, kb);
                for (int p = 0; p < kb; p++) dst.setAtIndex(FloatMatrix.FLOAT, (long) p * nbPad + j, row[p]);
            }
            if (nbPad > nb)
                for (int p = 0; p < kb; p++) dst.asSlice(4L * ((long) p * nbPad + nb), 4L * (nbPad - nb)).fill((byte) 0);
        }
        if (kbPad > kb) dst.asSlice(4L * kb * nbPad, 4L * (kbPad - kb) * nbPad).fill((byte) 0);
    }

    /** C rows i0..i0+mb, columns j0..j0+nb into dst with row pitch nbPad (for beta != 0). */
    static void packC(FloatMatrix c, int i0, int mb, int j0, int nb, int nbPad, MemorySegment dst) {
        for (int r = 0; r < mb; r++)
            MemorySegment.copy(c.segment(), c.byteOffset(i0 + r, j0), dst, 4L * r * nbPad, 4L * nb);
    }

    /** Rows i0..i0+nr, columns j0..j0+nc of a, densely into dst. */
    static void packRows(FloatMatrix a, int i0, int nr, int j0, int nc, MemorySegment dst) {
        for (int r = 0; r < nr; r++)
            MemorySegment.copy(a.segment(), a.byteOffset(i0 + r, j0), dst, 4L * r * nc, 4L * nc);
    }

    static void unpackRows(MemorySegment src, FloatMatrix out, int i0, int nr) {
        int nc = out.cols();
        for (int r = 0; r < nr; r++)
            MemorySegment.copy(src, 4L * r * nc, out.segment(), out.byteOffset(i0 + r, 0), 4L * nc);
    }
}
