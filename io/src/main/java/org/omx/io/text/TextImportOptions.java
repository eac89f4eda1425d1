package org.omx.io.text;

import org.omx.io.store.StoreDescription;

/**
 * How to read a delimited text matrix.
 *
 * @param samplesInColumns true (the usual expression-table layout): the header lists sample IDs and
 *                         each line is a feature; false: each line is a sample and the header lists
 *                         feature IDs, so the importer transposes (out of core)
 * @param delimiter        the field separator, or null to detect it from the header line: tab if the
 *                         header contains a tab, else comma
 * @param threads          parser threads (a reader thread and the calling thread come on top)
 * @param overwrite        replace an existing store at the target
 * @param description      layer, omics type, units and provenance of the new store; null for a
 *                         default named after the input file
 * @param memoryBytes      budget for chunk buffers and transposition tiles (the matrix itself is
 *                         never held in memory); at least 16 MiB
 */
public record TextImportOptions(boolean samplesInColumns, Character delimiter, int threads, boolean overwrite,
                                StoreDescription description, long memoryBytes) {

    public static final long DEFAULT_MEMORY_BYTES = 256L << 20;
    static final long MIN_MEMORY_BYTES = 16L << 20;

    public TextImportOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (memoryBytes < MIN_MEMORY_BYTES)
            throw new IllegalArgumentException("memory budget must be at least 16 MiB, got " + memoryBytes + " bytes");
        if (delimiter != null && (delimiter == '\n' || delimiter == '\r' || delimiter == '"' || delimiter > 127))
            throw new IllegalArgumentException("delimiter must be an ASCII character other than a quote or line break");
    }

    /** Samples in columns, auto-detected delimiter, one parser thread per core, 256 MiB. */
    public static TextImportOptions defaults() {
        return new TextImportOptions(true, null, Runtime.getRuntime().availableProcessors(), false, null,
                DEFAULT_MEMORY_BYTES);
    }

    public TextImportOptions withSamplesInColumns(boolean value) {
        return new TextImportOptions(value, delimiter, threads, overwrite, description, memoryBytes);
    }

    public TextImportOptions withDelimiter(Character value) {
        return new TextImportOptions(samplesInColumns, value, threads, overwrite, description, memoryBytes);
    }

    public TextImportOptions withThreads(int value) {
        return new TextImportOptions(samplesInColumns, delimiter, value, overwrite, description, memoryBytes);
    }

    public TextImportOptions withOverwrite(boolean value) {
        return new TextImportOptions(samplesInColumns, delimiter, threads, value, description, memoryBytes);
    }

    public TextImportOptions withDescription(StoreDescription value) {
        return new TextImportOptions(samplesInColumns, delimiter, threads, overwrite, value, memoryBytes);
    }

    public TextImportOptions withMemoryBytes(long value) {
        return new TextImportOptions(samplesInColumns, delimiter, threads, overwrite, description, value);
    }
}
