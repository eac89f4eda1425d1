package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One normalization, transformation, filter or batch correction: reads a store and writes a new
 * one tile by tile, recording itself as a provenance step (its name and {@link #parameters()}).
 * Problems with the data (negative counts, an all-zero sample) are {@link InputFormatException}s
 * that name the store, the feature and the sample.
 */
public interface Normalization {

    /** The method's name on the command line and in provenance ({@code tmm}, {@code vst}, ...). */
    String name();

    /** The parameters that, with the input, determine the output; recorded in provenance. */
    Map<String, String> parameters();

    /** Units of the output given the input's. */
    String units(String inputUnits);

    /** Writes the result to {@code out} (a store directory) and returns its metadata. */
    StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException;
}
