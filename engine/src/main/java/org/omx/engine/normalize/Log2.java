package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.ElementwiseOp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code log2(x + pseudocount)} on the backend ({@link ElementwiseOp#LOG2}). A value with
 * {@code x + pseudocount <= 0} would become -Infinity or NaN, so it is an error naming the feature
 * and sample; missing values stay missing.
 */
public final class Log2 implements Normalization {

    private final double pseudocount;

    public Log2(double pseudocount) {
        this.pseudocount = pseudocount;
    }

    @Override
    public String name() {
        return "log2";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("pseudocount", String.valueOf(pseudocount));
    }

    @Override
    public String units(String inputUnits) {
        return "log2(" + inputUnits + (pseudocount != 0 ? " + " + pseudocount : "") + ")";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        return StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++)
                for (int j = 0; j < src.cols(); j++) {
                    float v = src.get(i, j);
                    if (v + pseudocount <= 0 || v == Float.POSITIVE_INFINITY)
                        throw new InputFormatException(in.path(), "log2: value " + v + " at feature " + in.featureIds().get((int) (r0 + i))
                                + ", sample " + in.sampleIds().get(j) + " has no finite logarithm with pseudocount " + pseudocount);
                }
            ctx.backend().map(src, ElementwiseOp.LOG2, pseudocount, 0, dst);
        });
    }
}
