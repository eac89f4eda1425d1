package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Pareto scaling per feature, (x - mean) / sqrt(sd) (van den Berg et al. 2006). See {@link RowScaling} for the handling of constant features. */
public final class ParetoScaling implements Normalization {

    @Override
    public String name() {
        return "pareto";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("power", "0.5");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits + " (Pareto-scaled per feature)";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        return RowScaling.apply(in, out, overwrite, ctx, this, 0.5);
    }
}
