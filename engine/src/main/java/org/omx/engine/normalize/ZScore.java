package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** z-score per feature, (x - mean) / sd (sample standard deviation, n - 1). See {@link RowScaling} for the handling of constant features. */
public final class ZScore implements Normalization {

    @Override
    public String name() {
        return "zscore";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("power", "1");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (z-score per feature)";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        return RowScaling.apply(in, out, overwrite, ctx, this, 1);
    }
}
