package org.omx.io.plink;

import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Imports a PLINK 1 fileset into a dosage store: one row per variant (A1 allele counts 0, 1, 2),
 * one column per sample, rows in .bim order. Missing calls are NaN, or the variant's mean dosage
 * with {@code meanImpute} (see {@link BedFile#decode}).
 *
 * <p>The feature ID of a variant is its .bim ID, or {@code chrom:pos:a1:a2} when the ID is "."
 * (PLINK's "no ID"). Repeated variant IDs are kept as they are; the store does not require
 * unique feature IDs.
 */
public final class BedImporter {

    /** Floats decoded per tile: 16 MiB of heap, whatever the shape. */
    private static final long TILE_FLOATS = 4L << 20;

    private BedImporter() {
    }

    public static StoreMeta importBed(Path prefix, Path target, boolean meanImpute, boolean overwrite,
                                      StoreDescription d, Progress p) throws IOException, InputFormatException {
        if (!overwrite && Files.exists(target))
            throw new FileAlreadyExistsException(target.toAbsolutePath() + " exists (use --force to replace it)");
        try (BedFile bed = BedFile.open(prefix);
             StoreWriter w = StoreWriter.create(target, bed.sampleIds(), d, overwrite)) {
            int n = bed.nSamples();
            long total = bed.nVariants();
            int tile = (int) Math.max(1, Math.min(total, TILE_FLOATS / Math.max(1, n)));
            float[] buf = new float[(int) Math.min((long) tile * n, Integer.MAX_VALUE - 8)];
            p.update(0, total);
            for (long v0 = 0; v0 < total; v0 += tile) {
                int count = (int) Math.min(tile, total - v0);
                bed.decode(v0, count, buf, meanImpute);
                for (int k = 0; k < count; k++) w.appendRow(featureId(bed.variants().get((int) (v0 + k))), buf, k * n);
                p.update(v0 + count, total);
            }
            return w.commit();
        }
    }

    static String featureId(BedFile.Variant v) {
        if (!v.id().equals(".")) return v.id();
        return v.chrom() + ":" + v.pos() + ":" + v.allele1() + ":" + v.allele2();
    }
}
