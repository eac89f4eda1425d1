package org.omx.io.store;

import java.util.List;
import java.util.Map;

/**
 * The contents of {@code meta.json}: what the matrix is, where it came from and how to check it.
 *
 * @param format          always "omx-store"
 * @param formatVersion   version of this layout (1)
 * @param layer           the layer's name in its cohort ("transcriptome", "rnaseq-batch2", ...)
 * @param omicsType       genome, transcriptome, proteome, metabolome, microbiome or a user's own
 * @param units           what the values are (counts, log2 intensity, dosage, ...)
 * @param rows            features
 * @param cols            samples
 * @param omxVersion      the omx that wrote the store
 * @param checksum        CRC32C per block of rows of matrix.npy's data
 * @param provenance      every step from the source file to this store, oldest first
 * @param annotations     free key/value pairs kept through transforms
 */
public record StoreMeta(String format, int formatVersion, String layer, String omicsType, String units,
                        long rows, long cols, String omxVersion, Checksums checksum,
                        List<Provenance> provenance, Map<String, String> annotations) {

    public static final String FORMAT = "omx-store";
    public static final int FORMAT_VERSION = 1;

    /**
     * CRC32C (Castagnoli) of the data bytes, per block of {@code blockRows} rows (the last block may
     * be shorter); hex strings of 8 digits.
     */
    public record Checksums(String algorithm, long blockRows, List<String> blocks) {
    }
}
