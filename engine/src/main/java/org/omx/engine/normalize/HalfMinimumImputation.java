package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.Reduction;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

/**
 * Half-minimum imputation (metabolomics, values below the detection limit): a missing value becomes
 * half the smallest observed value of its feature. Backend: row minimum ({@code reduce MIN ROWS})
 * and {@code FILL_MISSING} per row. A feature with no observed value stays missing; such features
 * are counted and logged.
 */
public final class HalfMinimumImputation implements Normalization {

    @Override
    public String name() {
        return "half-minimum";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("fill", "min/2 per feature");
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        long[] empty = new long[1];
        StoreMeta meta = StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            double[] min = new double[src.rows()];
            ctx.backend().reduce(src, Reduction.MIN, Axis.ROWS, min);
            MemorySegment.copy(src.segment(), src.offset(), dst.segment(), dst.offset(), 4L * src.rows() * src.cols());
            for (int i = 0; i < src.rows(); i++) {
                if (Double.isNaN(min[i])) {
                    empty[0]++;
                    continue;
                }
                ctx.backend().map(dst.rows(i, 1), ElementwiseOp.FILL_MISSING, 0, min[i] / 2, dst.rows(i, 1));
            }
        });
        if (empty[0] > 0) ctx.log().accept("half-minimum: " + empty[0] + " features with no observed value left missing");
        return meta;
    }
}
