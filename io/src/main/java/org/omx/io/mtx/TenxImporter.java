package org.omx.io.mtx;

import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Imports a 10x Genomics feature-barcode matrix directory (Cell Ranger's "filtered_feature_bc_matrix"
 * triplet layout) into a dense float32 store with features as rows and barcodes as samples:
 * <ul>
 *   <li>{@code matrix.mtx} or {@code matrix.mtx.gz}: Matrix Market coordinate, features x barcodes;</li>
 *   <li>{@code features.tsv[.gz]} (Cell Ranger 3+: ID, name, feature type) or {@code genes.tsv[.gz]}
 *       (Cell Ranger 2: ID, name): the first column, the stable feature ID (e.g. an Ensembl gene ID),
 *       becomes the store's feature ID. Names are not used because they need not be unique;</li>
 *   <li>{@code barcodes.tsv[.gz]}: one barcode per line, the sample IDs.</li>
 * </ul>
 * Duplicate feature IDs or barcodes are errors naming both lines; a count that disagrees with the
 * matrix's declared shape is an error naming both files. When a file is present both plain and
 * gzipped the directory is ambiguous, and that is an error too. See {@link MatrixMarketImporter}
 * for how entries are read (repeats are summed).
 */
public final class TenxImporter {

    private TenxImporter() {
    }

    /** Imports the matrix in {@code dir} into a new store at {@code target}; returns its metadata. */
    public static StoreMeta importDirectory(Path dir, Path target, boolean overwrite, StoreDescription d, Progress p)
            throws IOException, InputFormatException {
        if (!Files.isDirectory(dir))
            throw new InputFormatException(dir, "not a directory (expected a 10x matrix directory with matrix.mtx[.gz], "
                    + "features.tsv[.gz] and barcodes.tsv[.gz])");
        Path mtx = find(dir, "matrix.mtx");
        Path features = find(dir, "features.tsv");
        if (features == null) features = find(dir, "genes.tsv");
        Path barcodes = find(dir, "barcodes.tsv");
        if (mtx == null) throw missing(dir, "matrix.mtx[.gz]");
        if (features == null) throw missing(dir, "features.tsv[.gz] (or genes.tsv[.gz])");
        if (barcodes == null) throw missing(dir, "barcodes.tsv[.gz]");
        return MatrixMarketImporter.importFile(mtx, features, "feature", barcodes, "barcode", target, overwrite, d, p);
    }

    private static InputFormatException missing(Path dir, String name) {
        return new InputFormatException(dir, "no " + name + " in this 10x matrix directory");
    }

    private static Path find(Path dir, String name) throws InputFormatException {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        boolean hasPlain = Files.isRegularFile(plain);
        boolean hasGz = Files.isRegularFile(gz);
        if (hasPlain && hasGz)
            throw new InputFormatException(dir, "both " + name + " and " + name + ".gz are present; keep one of them");
        return hasPlain ? plain : hasGz ? gz : null;
    }
}
