package org.omx.engine.ingest;

import java.nio.file.Path;

/**
 * Everything {@link Importer} needs to turn one input into a store.
 *
 * @param input            the file, 10x directory or PLINK prefix
 * @param output           the store directory to create (NAME.omx)
 * @param kind             the input's kind, or null to detect it
 * @param samplesInColumns delimited text: true when the header holds sample IDs (rows = features)
 * @param delimiter        delimited text: the field separator, or null to detect it
 * @param featureIds       MatrixMarket: a file of row IDs (first column), or null
 * @param sampleIds        MatrixMarket: a file of column IDs (first column), or null
 * @param meanImpute       PLINK: replace missing calls by the variant's mean dosage
 * @param layer            the layer's name; null takes the output's name without ".omx"
 * @param omicsType        genome, transcriptome, proteome, metabolome, microbiome or a user's own; null = guess
 * @param units            what the values are; null = guess from the kind
 * @param overwrite        replace an existing output store
 * @param threads          worker threads
 * @param memoryBytes      memory budget for buffers
 */
public record ImportRequest(Path input, Path output, InputKind kind, boolean samplesInColumns, Character delimiter,
                            Path featureIds, Path sampleIds, boolean meanImpute, String layer, String omicsType,
                            String units, boolean overwrite, int threads, long memoryBytes) {
}
