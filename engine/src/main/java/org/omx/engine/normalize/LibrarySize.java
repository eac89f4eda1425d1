package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;

/**
 * Library sizes: the total count of each sample (edgeR's {@code colSums(counts)}), computed in one
 * streaming pass with the backend's column reduction; every value is checked to be a count.
 */
public final class LibrarySize {

    private LibrarySize() {
    }

    /** Column sums; throws on a value that is not a count or on an all-zero sample. */
    public static double[] compute(MatrixStore s, NormalizeContext ctx, String method) throws InputFormatException {
        double[] lib = Counts.librarySizes(s, ctx, method);
        Counts.requireNonZero(s, lib, method);
        return lib;
    }
}
