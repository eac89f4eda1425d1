package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts per million, edgeR's {@code cpm(y)}: {@code count / (libSize * normFactor) * 1e6}, with
 * TMM factors ({@link TmmFactors}) or none. Per-sample scaling has no Backend primitive
 * ({@code scaleRows} scales rows; a {@code scaleColumns} would serve here), so the output pass is
 * plain Java over the tiles, split among threads.
 */
public final class Cpm implements Normalization {

    private final boolean tmm;

    public Cpm(boolean tmm) {
        this.tmm = tmm;
    }

    @Override
    public String name() {
        return "cpm";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("normFactors", tmm ? "TMM" : "none");
    }

    @Override
    public String units(String inputUnits) {
        return tmm ? "CPM (TMM-normalized library sizes)" : "CPM";
    }

    /** Effective library sizes: library size times the TMM factor (or 1). */
    static double[] effectiveLibrarySizes(MatrixStore in, boolean tmm, NormalizeContext ctx, String method)
            throws InputFormatException {
        double[] lib = LibrarySize.compute(in, ctx, method);
        if (!tmm) return lib;
        double[] f = TmmFactors.compute(in, lib, ctx);
        double[] eff = new double[lib.length];
        for (int j = 0; j < lib.length; j++) eff[j] = lib[j] * f[j];
        return eff;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        double[] eff = effectiveLibrarySizes(in, tmm, ctx, name());
        double[] scale = new double[eff.length];
        for (int j = 0; j < eff.length; j++) scale[j] = 1e6 / eff[j];
        return StoreTransform.mapRowArrays(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, from, to, cols) -> {
            for (int i = from; i < to; i++)
                for (int j = 0, p = i * cols; j < cols; j++, p++) dst[p] = (float) (src[p] * scale[j]);
        });
    }

    static Map<String, String> params(boolean tmm, double priorCount) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("normFactors", tmm ? "TMM" : "none");
        p.put("priorCount", String.valueOf(priorCount));
        return p;
    }
}
