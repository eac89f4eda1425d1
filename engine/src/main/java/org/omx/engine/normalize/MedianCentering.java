package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Per-sample median centring of log-scale data (arrays, proteomics): each sample's median over its
 * non-missing features is subtracted, so that all samples share median 0. A sample with no value
 * at all is an error.
 */
public final class MedianCentering implements Normalization {

    @Override
    public String name() {
        return "median-center";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("by", "sample");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (sample-median centred)";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] med = ColumnScaling.medians(in, ctx);
        ColumnScaling.requireValues(in, med, name(), "non-missing value");
        double[] scale = new double[med.length];
        Arrays.fill(scale, 1);
        double[] shift = new double[med.length];
        for (int j = 0; j < med.length; j++) shift[j] = -med[j];
        return ColumnScaling.apply(in, out, overwrite, ctx, this, scale, shift);
    }
}
