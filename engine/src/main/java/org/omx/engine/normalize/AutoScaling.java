package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** auto-scaling (unit variance) per feature as in metabolomics, (x - mean) / sd; the same arithmetic as {@link ZScore}. See {@link RowScaling} for the handling of constant features. */
public final class AutoScaling implements Normalization {

    @Override
    public String name() {
        return "autoscale";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("power", "1");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (auto-scaled per feature)";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        return RowScaling.apply(in, out, overwrite, ctx, this, 1);
    }
}
