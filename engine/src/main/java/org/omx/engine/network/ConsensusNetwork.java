package org.omx.engine.network;

import org.omx.engine.traits.TraitTable;
import org.omx.io.store.MappedStoreWriter;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Consensus modules across several sets (cohorts, tissues, layers measured on the same features):
 * WGCNA's consensus network ({@code consensusTOM} / {@code blockwiseConsensusModules} with all features
 * in one block) with its defaults, "single quantile" calibration and consensusQuantile = 0 (or another
 * consensus quantile).
 *
 * <ol>
 *   <li>Features shared by every set, in the first set's order ({@link SetAlignment}); each set keeps
 *       its own samples.</li>
 *   <li>Per set: correlation, adjacency and TOM with one soft-threshold power for all sets (given, or
 *       the largest of the sets' automatic choices), tiled and out of core as in {@link NetworkAnalysis}.</li>
 *   <li>Calibration: q_s = the type-8 {@code calibrationQuantile} quantile of set s's off-diagonal TOM
 *       ({@link TomQuantile}, exact: WGCNA's {@code sampleForCalibration = FALSE}); set s's TOM is raised to
 *       {@code log q_1 / log q_s}, so that its quantile equals the first set's.</li>
 *   <li>Consensus TOM: the element-wise minimum of the calibrated TOMs, accumulated in one mapped matrix
 *       (with consensusQuantile q > 0: their element-wise type-7 q quantile, every set's TOM kept on disk).</li>
 *   <li>Average-linkage clustering of 1 - consensus TOM, dynamic tree cut, consensus merging of close
 *       modules (eigengene correlation: the minimum across sets), then eigengenes and kME per set.</li>
 * </ol>
 *
 * Scratch on disk: the adjacency (reused set after set), one set's TOM, the consensus TOM and the
 * clustering dissimilarity, each features x features float32, mapped and released tile by tile.
 */
public final class ConsensusNetwork {

    public static final double DEFAULT_CALIBRATION_QUANTILE = 0.95;

    public record Result(SetAlignment alignment, List<List<String>> samples, double power, String powerRule,
                         List<SoftThreshold.Table> tables, double[] quantiles, double[] scalePowers, double consensusQuantile, int[] unmergedLabels,
                         int[] labels, List<ModuleEigengenes.Result> eigengenes, List<double[][]> kME,
                         List<ModuleOutputs.ModuleTrait> moduleTraits, HierarchicalClustering.Tree tree, TilePlan plan) {
    }

    private ConsensusNetwork() {
    }

    /**
     * The tile plan of one set's passes (the largest set), within what {@code --memory} leaves beside the
     * in-memory copies of the sets whose shared features are not already their rows in order.
     */
    public static TilePlan plan(List<MatrixStore> stores, long memoryBytes) {
        SetAlignment align = SetAlignment.of(stores);
        return plan(align, stores, memoryBytes);
    }

    private static TilePlan plan(SetAlignment align, List<MatrixStore> stores, long memoryBytes) {
        int n = stores.stream().mapToInt(MatrixStore::cols).max().orElse(0);
        long held = align.copyBytes(stores);
        if (held >= memoryBytes)
            throw new NetworkInputException(String.format(Locale.ROOT, "--memory %d bytes is too small: the sets' aligned copies alone "
                    + "need %d bytes (%d shared features); raise --memory", memoryBytes, held, align.features().size()));
        return TilePlan.plan(align.features().size(), n, memoryBytes - held);
    }

    public static Result run(Backend backend, List<MatrixStore> stores, Path outDir, NetworkAnalysis.Parameters p,
                             double calibrationQuantile, int threads, long memoryBytes, Consumer<String> log,
                             BiFunction<String, Long, LongConsumer> progress) throws IOException {
        return run(backend, stores, outDir, p, calibrationQuantile, null, null, threads, memoryBytes, log, progress);
    }

    /**
     * As above, with module-trait correlations per set against {@code traits} (one TSV keyed by sample ID
     * holding the samples of every set; each set uses the rows of its own samples; null for none), and
     * with {@code edges} (null for none) a thresholded edge list of the consensus TOM, {@code edges.tsv.gz},
     * carrying each set's correlation ({@link EdgeList}).
     */
    public static Result run(Backend backend, List<MatrixStore> stores, Path outDir, NetworkAnalysis.Parameters p,
                             double calibrationQuantile, Path traits, EdgeList.Rule edges, int threads, long memoryBytes, Consumer<String> log,
                             BiFunction<String, Long, LongConsumer> progress) throws IOException {
        return run(backend, stores, outDir, p, calibrationQuantile, 0, traits, edges, threads, memoryBytes, log, progress);
    }

    /**
     * As above with WGCNA's {@code consensusQuantile} q: the consensus TOM is the element-wise type-7 q
     * quantile of the calibrated set TOMs (0: their minimum), and close modules merge on the q quantile of
     * the sets' eigengene correlations. q > 0 keeps every set's TOM on disk until the end (one
     * features x features float32 scratch file per set after the first).
     */
    public static Result run(Backend backend, List<MatrixStore> stores, Path outDir, NetworkAnalysis.Parameters p,
                             double calibrationQuantile, double consensusQuantile, Path traits, EdgeList.Rule edges, int threads,
                             long memoryBytes, Consumer<String> log, BiFunction<String, Long, LongConsumer> progress) throws IOException {
        SetQuantile.check(consensusQuantile);
        List<TraitTable> traitTables = traits == null ? null : readTraits(traits, stores, log);
        if (stores.size() < 2) throw new NetworkInputException("a consensus network needs at least 2 sets, got " + stores.size());
        if (!(calibrationQuantile > 0 && calibrationQuantile < 1))
            throw new NetworkInputException("--calibration-quantile must be in (0, 1), got " + calibrationQuantile);
        SetAlignment align = SetAlignment.of(stores);
        log.accept(align.describe());
        List<String> ids = align.features();
        int g = ids.size();
        int k = stores.size();
        TilePlan plan = plan(align, stores, memoryBytes);
        if (align.copyBytes(stores) > 0)
            log.accept(String.format(Locale.ROOT, "consensus: %.1f MiB of aligned set copies in memory; tiles planned within the rest of --memory",
                    align.copyBytes(stores) / (double) (1L << 20)));
        java.nio.file.Files.createDirectories(outDir);
        try (Arena arena = Arena.ofShared()) {
            List<FloatMatrix> x = new ArrayList<>();
            for (int s = 0; s < k; s++) x.add(align.rows(stores.get(s), s, arena));

            List<SoftThreshold.Table> tables = new ArrayList<>();
            double power = p.power();
            String rule = "given with --power";
            if (Double.isNaN(power)) {
                power = choosePower(backend, stores, x, ids, p, plan, threads, outDir, tables);
                StringBuilder each = new StringBuilder();
                for (int s = 0; s < k; s++)
                    each.append(s == 0 ? "" : ", ").append("set ").append(s + 1).append(' ').append(SoftThreshold.fmt(tables.get(s).powerEstimate()));
                rule = "largest of the sets' automatic choices (" + each + ")";
            } else if (!(power > 0)) {
                throw new NetworkInputException("--power must be positive, got " + power);
            }
            log.accept(String.format(Locale.ROOT, "consensus: soft-threshold power %s for every set (%s)", SoftThreshold.fmt(power), rule));

            double[] q = new double[k];
            double[] scale = new double[k];
            StoreDescription scratch = StoreDescription.of("network", "network", "similarity");
            boolean minimum = consensusQuantile == 0;
            List<MappedStoreWriter> setToms = new ArrayList<>();
            try (java.io.Closeable setTomScratch = () -> {
                     for (MappedStoreWriter w : setToms) w.close();
                 };
                 MappedStoreWriter adj = MappedStoreWriter.create(outDir.resolve("adjacency.omx"), ids, ids, scratch, true);
                 MappedStoreWriter cons = MappedStoreWriter.create(outDir.resolve("tom.omx"), ids, ids, scratch, true);
                 MappedStoreWriter diss = MappedStoreWriter.create(outDir.resolve("dissimilarity.omx"), ids, ids, scratch, true)) {
                // the minimum is accumulated set by set through one scratch TOM; a quantile needs every set's TOM
                for (int s = 1; s < (minimum ? Math.min(k, 2) : k); s++)
                    setToms.add(MappedStoreWriter.create(outDir.resolve(minimum ? "set-tom.omx" : "set-tom-" + (s + 1) + ".omx"), ids, ids,
                            scratch, true));
                FloatMatrix a = TopologicalOverlap.square(adj.data(), g);
                FloatMatrix c = TopologicalOverlap.square(cons.data(), g);
                List<FloatMatrix> others = new ArrayList<>();
                for (MappedStoreWriter w : setToms) others.add(TopologicalOverlap.square(w.data(), g));
                for (int s = 0; s < k; s++) {
                    FloatMatrix t = s == 0 ? c : others.get(minimum ? 0 : s - 1);
                    try (Correlation corr = standardize(backend, x.get(s), ids, p, threads, s, stores.get(s))) {
                        double[] conn = TopologicalOverlap.adjacency(backend, corr, p.networkType(), p.tomType(), power, plan, a, threads,
                                progress.apply("set " + (s + 1) + " adjacency", (long) g));
                        String fit = Double.isNaN(p.power()) ? null : ScaleFreeCheck.warning(power, conn, p.rSquaredCut());
                        if (fit != null) log.accept("set " + (s + 1) + ": " + fit);
                        TopologicalOverlap.tom(backend, a, conn, p.tomType(), plan, t, threads,
                                progress.apply("set " + (s + 1) + " TOM tiles", plan.tomTiles()));
                    }
                    q[s] = TomQuantile.upperTriangle(t, calibrationQuantile, threads);
                    if (!(q[s] > 0 && q[s] < 1))
                        throw new NetworkInputException(String.format(Locale.ROOT,
                                "set %d (%s): the %s quantile of its TOM is %s, so single-quantile calibration is undefined "
                                        + "(an almost empty network: lower --power or check the set)", s + 1, stores.get(s).path(),
                                SoftThreshold.fmt(calibrationQuantile), q[s]));
                    scale[s] = s == 0 ? 1 : Math.log(q[0]) / Math.log(q[s]);
                    log.accept(String.format(Locale.ROOT, "set %d TOM: %s quantile %.6g, calibration power %.6g", s + 1,
                            SoftThreshold.fmt(calibrationQuantile), q[s], scale[s]));
                    // the minimum so far with this set: the 0 quantile of the two
                    if (s > 0 && minimum) quantileInto(c, List.of(t), new double[] {1, scale[s]}, 0, plan);
                }
                if (minimum) {
                    log.accept("consensus TOM written (element-wise minimum of the calibrated set TOMs)");
                } else {
                    quantileInto(c, others, scale, consensusQuantile, plan);
                    log.accept(String.format(Locale.ROOT, "consensus TOM written (element-wise %s quantile of the calibrated set TOMs)",
                            SoftThreshold.fmt(consensusQuantile)));
                }
                for (MappedStoreWriter w : setToms) w.close();
                FloatMatrix d = TopologicalOverlap.square(diss.data(), g);
                float[] row = new float[g];
                int stride = TopologicalOverlap.tomBlockRows(plan);
                for (int i = 0; i < g; i++) {
                    c.copyRow(i, row, 0);
                    for (int j = 0; j < g; j++) row[j] = 1 - row[j];
                    d.setRow(i, row, 0);
                    if ((i + 1) % stride == 0 || i == g - 1) {
                        int r0 = i - i % stride;
                        TopologicalOverlap.release(c, r0, i + 1 - r0);
                        TopologicalOverlap.release(d, r0, i + 1 - r0);
                    }
                }
                log.accept("clustering " + g + " features (average linkage of 1 - consensus TOM)");
                HierarchicalClustering.Tree tree = HierarchicalClustering.averageLinkage(d);
                diss.close();
                log.accept("dynamic tree cut");
                int[] labels = DynamicTreeCut.cut(tree, (i, j) -> 1 - c.get(i, j),
                        new DynamicTreeCut.Options(p.minModuleSize(), p.deepSplit(), Double.NaN, p.pamStage()));
                if (edges != null) writeEdges(backend, x, ids, p, stores, c, edges, plan, outDir, threads, log);
                TopologicalOverlap.release(c, 0, g);
                log.accept("merging close modules (consensus eigengene correlation)");
                int[] merged = p.mergeCutHeight() > 0 ? ModuleEigengenes.mergeClose(x, labels, p.mergeCutHeight(), consensusQuantile) : labels;
                List<ModuleEigengenes.Result> me = new ArrayList<>();
                List<double[][]> kme = new ArrayList<>();
                for (FloatMatrix xs : x) {
                    ModuleEigengenes.Result r = ModuleEigengenes.compute(xs, merged);
                    me.add(r);
                    kme.add(ModuleEigengenes.kME(xs, r));
                }
                List<ModuleOutputs.ModuleTrait> mt = null;
                if (traitTables != null) {
                    mt = new ArrayList<>();
                    for (int s = 0; s < k; s++) mt.add(ModuleOutputs.moduleTrait(me.get(s), traitTables.get(s)));
                }
                if (p.saveTom()) cons.commit();
                List<List<String>> samples = stores.stream().map(MatrixStore::sampleIds).toList();
                return new Result(align, samples, power, rule, tables, q, scale, consensusQuantile, labels, merged, me, kme, mt, tree, plan);
            }
        }
    }

    /** edges.tsv.gz from the consensus TOM, with every set's correlation of each pair (the sets standardized again). */
    private static void writeEdges(Backend backend, List<FloatMatrix> x, List<String> ids, NetworkAnalysis.Parameters p,
                                   List<MatrixStore> stores, FloatMatrix consensusTom, EdgeList.Rule rule, TilePlan plan, Path outDir,
                                   int threads, Consumer<String> log) throws IOException {
        List<Correlation> corrs = new ArrayList<>();
        try {
            for (int s = 0; s < x.size(); s++) corrs.add(standardize(backend, x.get(s), ids, p, threads, s, stores.get(s)));
            long n = EdgeList.write(backend, corrs, consensusTom, ids, rule, plan.blockRows(), outDir.resolve("edges.tsv.gz"), threads);
            log.accept(String.format(Locale.ROOT, "edges.tsv.gz: %d edges of the consensus TOM (%s%s)", n, rule.describe(),
                    Double.isNaN(rule.minAbsCor()) ? "" : ", |cor| in every set"));
        } finally {
            for (Correlation c : corrs) c.close();
        }
    }

    /** Each set's power table (added to {@code tables}) and automatic power; the largest. */
    private static double choosePower(Backend backend, List<MatrixStore> stores, List<FloatMatrix> x, List<String> ids,
                                      NetworkAnalysis.Parameters p, TilePlan plan, int threads, Path outDir,
                                      List<SoftThreshold.Table> tables) throws IOException {
        double max = 0;
        for (int s = 0; s < stores.size(); s++) {
            String set = "set " + (s + 1) + " (" + stores.get(s).path() + "): ";
            try (Correlation c = standardize(backend, x.get(s), ids, p, threads, s, stores.get(s))) {
                SoftThreshold.Table t;
                try {
                    t = SoftThreshold.table(backend, c, p.networkType(), p.powers(), p.rSquaredCut(), plan.blockRows(), threads);
                } catch (NetworkInputException e) {
                    throw new NetworkInputException(set + e.getMessage());
                }
                tables.add(t);
                String file = "soft-threshold-set" + (s + 1) + ".tsv";
                if (Double.isNaN(t.powerEstimate())) {   // the error below points the user at this table
                    java.nio.file.Files.writeString(outDir.resolve(file), t.toTsv());
                    try {
                        t.requirePower();
                    } catch (NetworkInputException e) {
                        throw new NetworkInputException(set + e.getMessage().replace("soft-threshold.tsv", file));
                    }
                }
                max = Math.max(max, t.powerEstimate());
            }
        }
        return max;
    }

    private static List<TraitTable> readTraits(Path traits, List<MatrixStore> stores, Consumer<String> log) throws IOException {
        List<TraitTable> out = new ArrayList<>();
        for (int s = 0; s < stores.size(); s++) {
            TraitTable t = TraitTable.read(traits, stores.get(s).sampleIds());
            if (t.matchedSamples() < Correlation.MIN_VALUES)
                throw new NetworkInputException(String.format(Locale.ROOT,
                        "%s shares %d sample IDs with set %d (%s) (need at least %d); its sample_id (or first) column must hold the samples of every set",
                        traits, t.matchedSamples(), s + 1, stores.get(s).path(), Correlation.MIN_VALUES));
            if (s == 0 && !t.skipped().isEmpty()) log.accept("traits: skipped non-numeric column(s) " + String.join(", ", t.skipped()));
            out.add(t);
        }
        return out;
    }

    /** The set's correlation; bad input (a constant feature, too few values) is reported with the set it is in. */
    private static Correlation standardize(Backend backend, FloatMatrix x, List<String> ids, NetworkAnalysis.Parameters p, int threads,
                                           int s, MatrixStore store) {
        try {
            return Correlation.standardize(backend, x, ids, p.correlation(), p.maxPOutliers(), threads);
        } catch (NetworkInputException e) {
            throw new NetworkInputException("set " + (s + 1) + " (" + store.path() + "): " + e.getMessage());
        }
    }

    /**
     * {@code c = } the type-7 {@code q} quantile of {@code (c, t_1^scale_1, t_2^scale_2, ..)} element-wise, row block
     * by row block ({@code scale[s + 1]} calibrates {@code t_s}; the first set, in {@code c}, has power 1).
     */
    static void quantileInto(FloatMatrix c, List<FloatMatrix> t, double[] scale, double q, TilePlan plan) {
        int g = c.rows();
        int k = t.size() + 1;
        float[][] rows = new float[k][g];
        double[] v = new double[k];
        int stride = TopologicalOverlap.tomBlockRows(plan);
        for (int i = 0; i < g; i++) {
            c.copyRow(i, rows[0], 0);
            for (int s = 1; s < k; s++) t.get(s - 1).copyRow(i, rows[s], 0);
            for (int j = 0; j < g; j++) {
                v[0] = rows[0][j];
                for (int s = 1; s < k; s++) v[s] = scale[s] == 1 ? rows[s][j] : Math.pow(rows[s][j], scale[s]);
                rows[0][j] = (float) SetQuantile.of(v, k, q);
            }
            c.setRow(i, rows[0], 0);
            if ((i + 1) % stride == 0 || i == g - 1) {
                int r0 = i - i % stride;
                TopologicalOverlap.release(c, r0, i + 1 - r0);
                for (FloatMatrix m : t) TopologicalOverlap.release(m, r0, i + 1 - r0);
            }
        }
    }
}
