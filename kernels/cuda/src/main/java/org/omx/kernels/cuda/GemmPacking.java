package org.omx.kernels.cuda;

import java.lang.foreign.MemorySegment;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.TilePacking;

/**
 * Host-side data movement between FloatMatrix views (any stride, heap or native) and the dense,
 * zero-padded layouts the kernels expect, plus host ranks. No CUDA calls: tested without a GPU.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** op(A) rows i0..i0+mb, depth p0..p0+kb, into dst as mbPad x kbPad row-major, zero padding. */
    static void packA(Op opA, FloatMatrix a, int i0, int mb, int mbPad, int p0, int kb, int kbPad, MemorySegment dst) {
        TilePacking.packPadded(opA, a, i0, mb, mbPad, p0, kb, kbPad, dst);
    }

    /** op(B) depth p0..p0+kb, columns j0..j0+nb, into dst as kbPad x nbPad row-major, zero padding. */
    static void packB(Op opB, FloatMatrix b, int p0, int kb, int kbPad, int j0, int nb, int nbPad, MemorySegment dst) {
        TilePacking.packPadded(opB, b, p0, kb, kbPad, j0, nb, nbPad, dst);
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
