package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.OmxVersion;
import org.omx.io.plink.BedFile;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The standardized dosage used by PCA and genomic relationship matrices (Yang et al. 2011):
 * {@code (g - 2p) / sqrt(2p(1 - p))}, with p the A1 frequency over the variant's non-missing calls,
 * as one {@code scaleRows} on the backend per tile. Stated handling: a missing call becomes 0 (the
 * mean, as GCTA does), a monomorphic variant (p = 0 or 1) becomes all 0; both are counted and
 * logged. Dosages must lie in [0, 2]. Reads a dosage store, or a PLINK .bed directly.
 */
public final class StandardizedDosage implements Normalization {

    @Override
    public String name() {
        return "standardize-dosage";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("formula", "(g - 2p) / sqrt(2p(1-p))", "missing", "0");
    }

    @Override
    public String units(String inputUnits) {
        return "standardized dosage";
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        long[] counts = new long[2];
        StoreMeta meta = StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) ->
                standardize(src, dst, counts, (i, j, g) -> new InputFormatException(in.path(), "standardize-dosage needs dosages in [0, 2], found "
                        + g + " at variant " + in.featureIds().get((int) (r0 + i)) + ", sample " + in.sampleIds().get(j)), ctx));
        logCounts(counts, ctx);
        return meta;
    }

    /**
     * The same, straight from a PLINK .bed (A1 dosage, missing calls as missing), decoded a tile of
     * variants at a time: no dosage store needed first.
     */
    public StoreMeta apply(BedFile bed, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        int n = bed.nSamples();
        int tile = (int) Math.max(1, Math.min(StoreTransform.MAX_TILE_ROWS, ctx.memoryBytes() / 4 / (8L * Math.max(1, n))));
        float[] src = new float[tile * n];
        float[] dst = new float[tile * n];
        long[] counts = new long[2];
        Provenance step = new Provenance("normalize:" + name(), bed.bedPath().toAbsolutePath().toString(), parameters(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), OmxVersion.get());
        StoreDescription d = StoreDescription.of("genotypes", "genome", units("A1 dosage")).withStep(step);
        try (StoreWriter w = StoreWriter.create(out, bed.sampleIds(), d, overwrite)) {
            for (long v0 = 0; v0 < bed.nVariants(); v0 += tile) {
                int m = (int) Math.min(tile, bed.nVariants() - v0);
                bed.decode(v0, m, src, false);
                standardize(FloatMatrix.wrap(src, m, n), FloatMatrix.wrap(dst, m, n), counts, (i, j, g) -> {
                    throw new IllegalStateException("a .bed decodes to dosages 0, 1, 2 only");
                }, ctx);
                for (int i = 0; i < m; i++) w.appendRow(bed.variants().get((int) (v0 + i)).id(), dst, i * n);
                ctx.progress().update(v0 + m, bed.nVariants());
            }
            logCounts(counts, ctx);
            return w.commit();
        }
    }

    @FunctionalInterface
    private interface OutOfRange {
        InputFormatException at(int row, int col, float value);
    }

    /** One tile: counts[0] gathers missing calls, counts[1] monomorphic variants. */
    private static void standardize(FloatMatrix src, FloatMatrix dst, long[] counts, OutOfRange bad, NormalizeContext ctx)
            throws InputFormatException {
        int n = src.rows();
        double[] scale = new double[n];
        double[] shift = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int called = 0;
            for (int j = 0; j < src.cols(); j++) {
                float g = src.get(i, j);
                if (Float.isNaN(g)) {
                    counts[0]++;
                    continue;
                }
                if (g < 0 || g > 2) throw bad.at(i, j, g);
                sum += g;
                called++;
            }
            double p = called == 0 ? 0 : sum / (2.0 * called);
            double sd = Math.sqrt(2 * p * (1 - p));
            if (!(sd > 0)) {
                counts[1]++;
                scale[i] = 0;
                shift[i] = 0;
            } else {
                scale[i] = 1 / sd;
                shift[i] = -2 * p / sd;
            }
        }
        ctx.backend().scaleRows(src, scale, shift, dst);
        ctx.backend().map(dst, org.omx.kernels.api.ElementwiseOp.FILL_MISSING, 0, 0, dst);
    }

    private static void logCounts(long[] counts, NormalizeContext ctx) {
        if (counts[0] > 0) ctx.log().accept("standardize-dosage: " + counts[0] + " missing calls set to 0 (the variant mean)");
        if (counts[1] > 0) ctx.log().accept("standardize-dosage: " + counts[1] + " monomorphic variants set to 0");
    }
}
