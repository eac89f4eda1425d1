package org.omx.engine.factorize;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multiple Factor Analysis (Escofier and Pagès 1994; Abdi, Williams and Valentin 2013) across omics
 * layers: every layer is a features x samples store; samples are matched by ID (the intersection, in
 * the first layer's order); each layer is centered (and scaled to unit variance if asked) per feature
 * and weighted by {@code 1 / sigma_1^2} of its own block, so that no layer dominates the first factor
 * by its size or its units; then a global PCA of the stacked weighted blocks. Nothing is stacked in
 * memory: {@link StackedRows} streams the layers' tiles one after the other, each row multiplied by
 * {@code s_i / sigma_1(layer)}, and the randomized SVD centers on the fly (centering commutes with
 * row scaling). Passes: one randomized SVD per layer for sigma_1, then one for the global PCA.
 *
 * <p>Variance explained per factor per layer (the table MOFA users know): with the global SVD
 * {@code X = sum_j sigma_j u_j v_j^T} and v orthonormal, factor j reconstructs layer L's block as
 * {@code sigma_j u_{j,L} v_j^T}, of squared norm {@code sigma_j^2 ||u_{j,L}||^2}; divided by the
 * layer's weighted total sum of squares it is the fraction of that layer's variance the factor
 * explains, and the fractions of orthogonal factors add up.
 *
 * <p>Design note: a MOFA-like Bayesian group factor model (Argelaguet et al. 2018) joins on the same
 * primitives. Its variational updates need, per layer, {@code X_L^T E[W_L]} and {@code E[W_L]^T X_L}
 * style products (a features-streamed pass like {@link RandomizedSvd}'s Gram pass, with k columns)
 * and per-layer sufficient statistics of the same shape as here: factors Z (samples x k) stay
 * resident, weights W_L (features x k) are updated tile by tile as NMF's W is, and the ARD precisions
 * per factor per layer are k x layers numbers. The sample matching, the per-layer moments, the
 * {@link StackedRows} stream and this variance table (computed from E[W_L] and E[Z]) carry over
 * unchanged; MFA's solution is a natural initialization for it (MOFA initializes from PCA).
 */
public final class Mfa {

    /** One omics layer: a name for tables and messages and its store. */
    public record Layer(String name, MatrixStore store) {
    }

    public record Options(int rank, boolean scale, int oversample, int powerIterations, long seed) {
        public Options {
            if (rank < 1) throw new FactorizeInputException("rank (-k) must be at least 1, not " + rank);
        }
    }

    /**
     * @param layerNames        in input order
     * @param firstSingular     sigma_1 of each centered (scaled) layer block: weight 1 / sigma_1^2
     * @param global            the SVD of the stacked weighted blocks; rows are the layers' features in order
     * @param layerOffsets      first global row of each layer (plus the total at the end)
     * @param varianceExplained [factor][layer]: fraction of the layer's weighted variance
     */
    public record Result(List<String> layerNames, double[] firstSingular, SvdResult global, int[] layerOffsets,
                         double[][] varianceExplained, List<String> sampleIds) {

        /** Scores of sample i on factor j: {@code sigma_j v_j[i]}. */
        public double score(int sample, int factor) {
            return global.score(sample, factor);
        }
    }

    private Mfa() {
    }

    public static Result fit(List<Layer> layers, Options o, FactorizeContext ctx) {
        if (layers.isEmpty()) throw new FactorizeInputException("MFA needs at least one layer");
        List<String> samples = commonSamples(layers);
        int n = samples.size();
        List<StoreRows> sources = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer.store().rows() < 1) throw new FactorizeInputException("layer " + layer.name() + " has no features");
            Map<String, Integer> index = new HashMap<>();
            List<String> ids = layer.store().sampleIds();
            for (int j = 0; j < ids.size(); j++) index.putIfAbsent(ids.get(j), j);
            sources.add(new StoreRows(layer.store(), samples.stream().mapToInt(index::get).toArray()));
        }
        double[][] rowFactor = new double[layers.size()][];
        // filled in below, layer by layer, before the global pass reads it
        StackedRows stacked = new StackedRows(List.copyOf(sources), rowFactor, layers.stream().map(Layer::name).toList());
        int maxRank = (int) Math.min(stacked.rows(), n - 1);
        if (o.rank() > maxRank)
            throw new FactorizeInputException("rank " + o.rank() + " is larger than the data allows: " + stacked.rows()
                    + " features x " + n + " common samples (centered: at most " + maxRank + ")");
        ctx.log().accept(plan(sources, stacked, o, ctx));
        double[] sigma1 = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            StoreRows src = sources.get(l);
            SvdResult first = RandomizedSvd.compute(src, layerOptions(src, o), ctx);
            sigma1[l] = first.sigma()[0];
            if (!(sigma1[l] > 0)) throw new FactorizeInputException("layer " + layer.name() + " has no variance across the common samples");
            double[] f = new double[(int) src.rows()];
            for (int i = 0; i < f.length; i++) f[i] = (o.scale() ? first.scale()[i] : 1) / sigma1[l];
            rowFactor[l] = f;
            ctx.log().accept(String.format(java.util.Locale.ROOT, "MFA layer %s: %d features, sigma1 %.6g, weight %.6g",
                    layer.name(), f.length, sigma1[l], 1 / (sigma1[l] * sigma1[l])));
        }
        SvdResult global = RandomizedSvd.compute(stacked, globalOptions(stacked, o), ctx);
        int[] offsets = stacked.offsets();
        double[][] ve = new double[o.rank()][layers.size()];
        double[] layerTotal = new double[layers.size()];
        // weighted total sum of squares per layer: ||W_L (X_L - mu)||^2 from the global pass's centers
        double[] tss = layerSumsOfSquares(stacked, global.center(), varianceTileRows(stacked, o, ctx));
        for (int l = 0; l < layers.size(); l++) layerTotal[l] = tss[l];
        for (int j = 0; j < o.rank(); j++)
            for (int l = 0; l < layers.size(); l++) {
                double s = 0;
                for (int i = offsets[l]; i < offsets[l + 1]; i++) s += global.u()[j][i] * global.u()[j][i];
                ve[j][l] = layerTotal[l] > 0 ? global.sigma()[j] * global.sigma()[j] * s / layerTotal[l] : 0;
            }
        return new Result(layers.stream().map(Layer::name).toList(), sigma1, global, offsets, ve, samples);
    }

    /** sigma_1 of one layer: rank 1, a few extra columns and iterations (cheap at rank 1, and the weight needs it exact). */
    private static RandomizedSvd.Options layerOptions(RowSource src, Options o) {
        return options(src, 1, Math.max(o.oversample(), 5), Math.max(o.powerIterations(), 4), o.scale(), o.seed());
    }

    /** The global PCA of the stacked weighted blocks (already scaled, so no scaling here). */
    private static RandomizedSvd.Options globalOptions(RowSource stacked, Options o) {
        return options(stacked, o.rank(), o.oversample(), o.powerIterations(), false, o.seed());
    }

    /**
     * Passes over the data in all: each layer's sigma_1 SVD reads that layer only (a small layer may
     * need more: subspace iteration where the Krylov basis does not fit), the global PCA reads all
     * of them, then one pass for the variance table. Returns the layers' passes, then the global's.
     */
    static int[] plannedPasses(List<? extends RowSource> layers, RowSource stacked, Options o) {
        int[] p = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) p[l] = RandomizedSvd.plannedPasses(layerOptions(layers.get(l), o));
        p[layers.size()] = RandomizedSvd.plannedPasses(globalOptions(stacked, o));
        return p;
    }

    /**
     * The plan printed before the first pass: passes, and the peak of the steps' memory (they run
     * one after the other, so the largest step sets the peak), with the process-wide figures.
     */
    static String plan(List<? extends RowSource> layers, StackedRows stacked, Options o, FactorizeContext ctx) {
        String backend = ctx.backend().name();
        ProcessMemory peak = RandomizedSvd.processMemory(stacked, globalOptions(stacked, o), ctx.memoryBytes(), backend);
        for (RowSource s : layers) {
            ProcessMemory m = RandomizedSvd.processMemory(s, layerOptions(s, o), ctx.memoryBytes(), backend);
            if (m.plannedHeap() > peak.plannedHeap()) peak = m;
        }
        int[] p = plannedPasses(layers, stacked, o);
        int global = p[layers.size()];
        StringBuilder per = new StringBuilder();
        long rowsRead = 0;
        for (int l = 0; l < layers.size(); l++) {
            per.append(l == 0 ? "" : "/").append(p[l]);
            rowsRead += (long) p[l] * layers.get(l).rows();
        }
        rowsRead += (global + 1) * stacked.rows();
        return String.format(java.util.Locale.ROOT, "MFA plan: %d layers, %d features x %d samples, %d factors; passes: %s over each layer "
                        + "alone (its weight), %d over all layers (global PCA), 1 for the variance table (%.1f full passes' worth of rows); "
                        + "estimated peak %s (largest step); %s",
                layers.size(), stacked.rows(), stacked.cols(), o.rank(), per, global, rowsRead / (double) stacked.rows(),
                org.omx.engine.ByteSize.format(peak.plannedHeap()), peak.describe());
    }

    /** Block Krylov (accurate at few passes) when its basis fits the block, else subspace iteration with twice the passes. */
    private static RandomizedSvd.Options options(RowSource src, int rank, int oversample, int q, boolean scale, long seed) {
        long small = Math.min(src.rows(), src.cols() - 1);
        int basis = (int) Math.min(rank + oversample, small);
        int over = basis - rank;
        if ((long) basis * (q + 1) <= small)
            return new RandomizedSvd.Options(rank, over, q, RandomizedSvd.Method.BLOCK_KRYLOV, true, scale, 100, seed);
        return new RandomizedSvd.Options(rank, over, 2 * q + 2, RandomizedSvd.Method.SUBSPACE, true, scale, 100, seed);
    }

    /** Samples present in every layer, in the first layer's order; names the first layer that leaves none. */
    static List<String> commonSamples(List<Layer> layers) {
        Set<String> common = new LinkedHashSet<>(layers.getFirst().store().sampleIds());
        for (int l = 1; l < layers.size(); l++) {
            Set<String> here = new java.util.HashSet<>(layers.get(l).store().sampleIds());
            common.retainAll(here);
            if (common.isEmpty())
                throw new FactorizeInputException("layer " + layers.get(l).name() + " has no samples in common with layer"
                        + (l > 1 ? "s " : " ") + String.join(", ", layers.subList(0, l).stream().map(Layer::name).toList())
                        + " (sample IDs are matched exactly)");
        }
        if (common.size() < 2) throw new FactorizeInputException("need at least 2 samples common to all layers, found " + common.size());
        return List.copyOf(common);
    }

    /**
     * Tiles of the variance pass: the global PCA's, which the plan has counted (a fixed 4,096 rows
     * of 100,000 samples were a 1.6 GB copy plus 1.6 GB of mapped pages, twice the planned peak).
     */
    static int varianceTileRows(StackedRows stacked, Options o, FactorizeContext ctx) {
        int width = RandomizedSvd.width(stacked, globalOptions(stacked, o));
        return RandomizedSvd.tileRows(stacked, width, ctx.memoryBytes(), ctx.backend().name());
    }

    /** One pass: the weighted centered sum of squares of each layer's block (double). */
    private static double[] layerSumsOfSquares(StackedRows stacked, double[] center, int tileRows) {
        double[] out = new double[stacked.offsets().length - 1];
        int n = stacked.cols();
        float[] row = new float[n];
        stacked.forEachTile(tileRows, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) {
                int g = (int) r0 + i;
                tile.copyRow(i, row, 0);
                double mu = center[g], s = 0;
                for (int j = 0; j < n; j++) {
                    double d = row[j] - mu;
                    s += d * d;
                }
                out[stacked.layerOf(g)] += s;
            }
        });
        return out;
    }

    /**
     * The layers' rows one after the other, row i of layer L multiplied by {@code factor[L][i]}.
     * Tiles never span two layers; each is a scaled copy in one reusable buffer.
     */
    static final class StackedRows implements RowSource {
        private final List<? extends RowSource> layers;
        private final double[][] factor;
        private final int[] offsets;
        private final List<String> rowIds;
        /** The scaled tile, kept between passes as in {@link StoreRows}. */
        private float[] buffer;

        StackedRows(List<? extends RowSource> layers, double[][] factor, List<String> names) {
            this.layers = layers;
            this.factor = factor;
            this.offsets = new int[layers.size() + 1];
            List<String> ids = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                offsets[l + 1] = offsets[l] + (int) layers.get(l).rows();
                for (String id : layers.get(l).rowIds()) ids.add(names.get(l) + ":" + id);
            }
            this.rowIds = List.copyOf(ids);
        }

        int[] offsets() {
            return offsets;
        }

        int layerOf(int row) {
            int l = 0;
            while (offsets[l + 1] <= row) l++;
            return l;
        }

        @Override
        public long rows() {
            return offsets[offsets.length - 1];
        }

        @Override
        public int cols() {
            return layers.getFirst().cols();
        }

        @Override
        public List<String> rowIds() {
            return rowIds;
        }

        @Override
        public List<String> colIds() {
            return layers.getFirst().colIds();
        }

        @Override
        public long bytesPerTileRow() {
            long b = 4L * cols();
            for (RowSource s : layers) b = Math.max(b, 4L * cols() + s.bytesPerTileRow());
            return b;
        }

        @Override
        public void forEachTile(int tileRows, TileVisitor visitor) {
            int n = cols();
            if (buffer == null || buffer.length < tileRows * n) buffer = new float[tileRows * n];
            float[] buf = buffer;
            float[] row = new float[n];
            for (int l = 0; l < layers.size(); l++) {
                int layer = l;
                layers.get(l).forEachTile(tileRows, (tile, r0) -> {
                    int t = tile.rows();
                    for (int i = 0; i < t; i++) {
                        tile.copyRow(i, row, 0);
                        float f = (float) factor[layer][(int) r0 + i];
                        for (int j = 0; j < n; j++) buf[i * n + j] = row[j] * f;
                    }
                    visitor.accept(FloatMatrix.wrap(buf, t, n), offsets[layer] + r0);
                });
            }
        }

        /** Layers are read one after the other: the largest layer's window. */
        @Override
        public long mappedBytes(int tileRows) {
            long b = 0;
            for (RowSource s : layers) b = Math.max(b, s.mappedBytes(tileRows));
            return b;
        }

        @Override
        public long offHeapBytes() {
            long b = 0;
            for (RowSource s : layers) b = Math.max(b, s.offHeapBytes());
            return b;
        }

        @Override
        public String describe() {
            return layers.size() + " layers stacked (" + rows() + " features x " + cols() + " samples)";
        }
    }
}
