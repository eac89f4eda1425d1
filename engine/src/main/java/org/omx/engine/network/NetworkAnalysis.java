package org.omx.engine.network;

import org.omx.engine.traits.TraitTable;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The whole co-expression network of one store, WGCNA's one-step pipeline without blocks: power
 * table and choice, adjacency and TOM (tiled, out of core), average-linkage clustering of 1 - TOM,
 * dynamic tree cut, eigengenes, merging of close modules, kME. The Java API behind
 * {@code omx network}.
 */
public final class NetworkAnalysis {

    /** Everything that decides the result; written to params.json. {@code power} NaN means automatic. */
    public record Parameters(CorrelationMethod correlation, double maxPOutliers, NetworkType networkType, TomType tomType,
                             double power, double rSquaredCut, double[] powers, int minModuleSize, int deepSplit,
                             boolean pamStage, double mergeCutHeight, boolean saveTom) {

        public Parameters {
            new DynamicTreeCut.Options(minModuleSize, deepSplit, Double.NaN, pamStage);   // validates before any work
            if (!(maxPOutliers > 0 && maxPOutliers <= 1)) throw new NetworkInputException("--max-p-outliers must be in (0, 1], got " + maxPOutliers);
        }

        public static Parameters defaults() {
            // WGCNA blockwiseModules defaults, except minModuleSize (20 there, 30 in the tutorial)
            return new Parameters(CorrelationMethod.PEARSON, 1, NetworkType.UNSIGNED, TomType.UNSIGNED, Double.NaN,
                    SoftThreshold.DEFAULT_R_SQUARED_CUT, SoftThreshold.DEFAULT_POWERS, 20, 2, false, 0.15, false);
        }
    }

    /**
     * Optional outputs: module-trait correlations against {@code traits} (a TSV keyed by sample ID; null
     * for none), a thresholded edge list (null for none), the number of hub features per module, and
     * whether a given power still gets the power table (an automatic power always computes it).
     */
    public record Extras(Path traits, EdgeList.Rule edges, int hubsPerModule, boolean powerTable) {
        public Extras {
            if (hubsPerModule < 0) throw new NetworkInputException("--hubs must be >= 0, got " + hubsPerModule);
        }

        /** With the power table next to a given power (a full pass over the correlations). */
        public Extras(Path traits, EdgeList.Rule edges, int hubsPerModule) {
            this(traits, edges, hubsPerModule, true);
        }

        public static Extras defaults() {
            return new Extras(null, null, 10);
        }
    }

    public record Result(List<String> features, List<String> samples, SoftThreshold.Table table, double power, String powerRule,
                         int[] unmergedLabels, int[] labels, ModuleEigengenes.Result eigengenes, double[][] kME,
                         HierarchicalClustering.Tree tree, TilePlan plan, ModuleOutputs.Connectivity connectivity,
                         List<ModuleOutputs.Hub> hubs, ModuleOutputs.ModuleTrait moduleTrait, TraitTable traits,
                         String edgeRule, long edges, boolean pairwiseComplete) {
    }

    private NetworkAnalysis() {
    }

    public static TilePlan plan(MatrixStore store, long memoryBytes) {
        return TilePlan.plan(checkedRows(store), store.cols(), memoryBytes);
    }

    private static int checkedRows(MatrixStore store) {
        if (store.rows() > 200_000) throw new NetworkInputException(store.rows() + " features: omx network handles up to 200,000 (filter features first)");
        if (store.rows() < 2) throw new NetworkInputException("a network needs at least 2 features; the store has " + store.rows());
        return (int) store.rows();
    }

    /**
     * Runs the pipeline; the scratch matrices (the adjacency, whose storage then takes the clustering's 1 - TOM,
     * and the TOM) are native memory when they fit the budget, else mapped files in {@code outDir}, deleted at
     * the end except tom.omx under saveTom.
     */
    public static Result run(Backend backend, MatrixStore store, Path outDir, Parameters p, int threads, long memoryBytes,
                             Consumer<String> log, BiFunction<String, Long, LongConsumer> progress) throws IOException {
        return run(backend, store, outDir, p, Extras.defaults(), threads, memoryBytes, log, progress);
    }

    /** As {@link #run(Backend, MatrixStore, Path, Parameters, int, long, Consumer, BiFunction)}, with optional outputs. */
    public static Result run(Backend backend, MatrixStore store, Path outDir, Parameters p, Extras extras, int threads, long memoryBytes,
                             Consumer<String> log, BiFunction<String, Long, LongConsumer> progress) throws IOException {
        int g = checkedRows(store);
        TraitTable traits = extras.traits() == null ? null : TraitTable.read(extras.traits(), store.sampleIds());
        if (traits != null && traits.matchedSamples() < Correlation.MIN_VALUES)
            throw new NetworkInputException(String.format(Locale.ROOT,
                    "%s shares %d sample IDs with the store (need at least %d); its sample_id (or first) column must hold the store's sample IDs",
                    extras.traits(), traits.matchedSamples(), Correlation.MIN_VALUES));
        if (traits != null && !traits.skipped().isEmpty())
            log.accept("traits: skipped non-numeric column(s) " + String.join(", ", traits.skipped()));
        int n = store.cols();
        TilePlan plan = TilePlan.plan(g, n, memoryBytes);
        Files.createDirectories(outDir);
        FloatMatrix x = new FloatMatrix(store.data(), 0, g, n, n);
        List<String> ids = store.featureIds();
        try (Correlation corr = Correlation.standardize(backend, x, ids, p.correlation(), p.maxPOutliers(), threads)) {
            if (corr.pairwise())
                log.accept("missing values: pairwise-complete Pearson correlation (six GEMMs per tile); eigengenes use each feature's mean in place of its missing values");
            double power = p.power();
            if (!Double.isNaN(power) && !(power > 0)) throw new NetworkInputException("--power must be positive, got " + power);
            // the table decides the power when none is given; with --power it is computed only when asked for
            boolean withTable = Double.isNaN(power) || (extras.powerTable() && n >= SoftThreshold.MIN_SAMPLES && g >= SoftThreshold.N_BREAKS);
            double[] powers = withTable ? SoftThreshold.checkedPowers(n, g, p.powers()) : null;
            int strip = TopologicalOverlap.tomBlockRows(plan);
            try (NetworkScratch scratch = NetworkScratch.open(outDir, ids, plan, p.saveTom())) {
                FloatMatrix a = scratch.adjacency();
                FloatMatrix t = scratch.tom();
                // one pass of correlation strips gives the table's connectivities and, with a given power, the adjacency
                double[][] tableK = withTable ? new double[powers.length][g] : null;
                double[] k = AdjacencyPass.run(backend, corr, new AdjacencyPass.Work(p.networkType(), p.tomType(), power, powers), tableK,
                        strip, TopologicalOverlap.chunkRows(plan, corr), a, threads, progress.apply("adjacency", (long) g));
                SoftThreshold.Table table = withTable ? SoftThreshold.fromConnectivities(powers, tableK, p.rSquaredCut()) : null;
                String rule;
                if (Double.isNaN(power)) {
                    // the error for "no power fits" points the user at this table
                    if (Double.isNaN(table.powerEstimate())) Files.writeString(outDir.resolve("soft-threshold.tsv"), table.toTsv());
                    power = table.requirePower();
                    rule = table.rule();
                    k = AdjacencyPass.toAdjacency(a, p.networkType(), p.tomType(), power, strip, threads);
                } else {
                    rule = "given with --power";
                }
                log.accept(String.format(Locale.ROOT, "soft-threshold power %s (%s)", SoftThreshold.fmt(power), rule));
                if (corr.undefinedPairs() > 0)
                    log.accept(String.format(Locale.ROOT, "pairwise-complete correlation: %d feature pairs share fewer than %d samples or "
                            + "are constant over the shared ones; their correlation is set to 0", corr.undefinedPairs(), Correlation.MIN_VALUES));
                log.accept("adjacency written");
                String fit = Double.isNaN(p.power()) ? null : ScaleFreeCheck.warning(power, k, p.rSquaredCut());
                if (fit != null) log.accept(fit);
                TopologicalOverlap.tom(backend, a, k, p.tomType(), plan, t, threads, progress.apply("TOM tiles", plan.tomTiles()));
                // the adjacency is not read again (connectivities are recomputed below): its storage takes 1 - TOM
                TopologicalOverlap.complement(t, scratch.dissimilarity(), strip, threads);
                log.accept("TOM and 1 - TOM written");
                long edges = -1;
                if (extras.edges() != null) {
                    edges = EdgeList.write(backend, corr, t, ids, extras.edges(), plan.blockRows(), outDir.resolve("edges.tsv.gz"), threads);
                    log.accept(String.format(Locale.ROOT, "edges.tsv.gz: %d edges (%s)", edges, extras.edges().describe()));
                }
                log.accept("clustering " + g + " features (average linkage, nearest-neighbour chain)");
                HierarchicalClustering.Tree tree = HierarchicalClustering.averageLinkage(
                        scratch.dissimilarityForClustering(plan.clusteringFitsMemory()));
                log.accept("dynamic tree cut");
                int[] labels = DynamicTreeCut.cut(tree, (i, j) -> 1 - t.get(i, j),
                        new DynamicTreeCut.Options(p.minModuleSize(), p.deepSplit(), Double.NaN, p.pamStage()));
                log.accept("merging close modules");
                int[] merged = p.mergeCutHeight() > 0 ? ModuleEigengenes.mergeClose(x, labels, p.mergeCutHeight()) : labels;
                log.accept("eigengenes, kME, connectivity");
                ModuleEigengenes.Result me = ModuleEigengenes.compute(x, merged);
                double[][] kme = ModuleEigengenes.kME(x, me);
                TopologicalOverlap.release(t, 0, g);
                // the clustering's matrix (its contents destroyed) holds the correlation strips of this pass
                ModuleOutputs.Connectivity conn = AdjacencyPass.moduleConnectivity(backend, x, ids, p.correlation(), p.maxPOutliers(),
                        new AdjacencyPass.Work(p.networkType(), p.tomType(), power, null), k, merged, strip, scratch.spareAfterClustering(), threads);
                scratch.dropDissimilarity();
                List<ModuleOutputs.Hub> hubs = ModuleOutputs.hubs(merged, me, kme, conn, extras.hubsPerModule());
                ModuleOutputs.ModuleTrait mt = traits == null ? null : ModuleOutputs.moduleTrait(me, traits);
                if (p.saveTom()) scratch.commitTom();
                return new Result(ids, store.sampleIds(), table, power, rule, labels, merged, me, kme, tree, plan, conn, hubs, mt, traits,
                        extras.edges() == null ? null : extras.edges().describe(), edges, corr.pairwise());
            }
        }
    }

    /**
     * modules.tsv, eigengenes.tsv, module-summary.tsv, kME.tsv, soft-threshold.tsv, connectivity.tsv, hubs.tsv,
     * module-trait.tsv (with traits), dendrogram.tsv (R hclust's merge and height) and params.json; edges.tsv.gz is
     * written during the run.
     */
    public static void write(Result r, Parameters p, Path outDir, String input) throws IOException {
        Files.writeString(outDir.resolve("modules.tsv"), NetworkTables.modules(r.features(), r.labels(), r.unmergedLabels()));
        Files.writeString(outDir.resolve("eigengenes.tsv"), NetworkTables.eigengenes(r.samples(), r.eigengenes()));

        int[] mods = r.eigengenes().modules();
        StringBuilder sb = new StringBuilder("module\tsize\tvariance_explained\n");
        for (int m = 0; m < mods.length; m++) {
            int label = mods[m];
            sb.append(label).append('\t').append(java.util.Arrays.stream(r.labels()).filter(l -> l == label).count())
                    .append('\t').append(num(r.eigengenes().varianceExplained()[m])).append('\n');
        }
        Files.writeString(outDir.resolve("module-summary.tsv"), sb);

        int n = r.samples().size();
        Files.writeString(outDir.resolve("kME.tsv"), NetworkTables.kME(r.features(), mods, r.kME(), n));

        if (r.table() != null) Files.writeString(outDir.resolve("soft-threshold.tsv"), r.table().toTsv());

        if (r.connectivity() != null) {
            ModuleOutputs.Connectivity k = r.connectivity();
            sb = new StringBuilder("feature_id\tmodule\tkTotal\tkWithin\tkOut\tkDiff\n");
            for (int i = 0; i < r.features().size(); i++)
                sb.append(r.features().get(i)).append('\t').append(r.labels()[i]).append('\t').append(num(k.kTotal()[i])).append('\t')
                        .append(num(k.kWithin()[i])).append('\t').append(num(k.kOut()[i])).append('\t').append(num(k.kDiff()[i])).append('\n');
            Files.writeString(outDir.resolve("connectivity.tsv"), sb);
            sb = new StringBuilder("module\trank\tfeature_id\tkME\tkWithin\n");
            for (ModuleOutputs.Hub h : r.hubs())
                sb.append(h.module()).append('\t').append(h.rank()).append('\t').append(r.features().get(h.feature())).append('\t')
                        .append(num(h.kME())).append('\t').append(num(h.kWithin())).append('\n');
            Files.writeString(outDir.resolve("hubs.tsv"), sb);
        }
        if (r.moduleTrait() != null) Files.writeString(outDir.resolve("module-trait.tsv"), r.moduleTrait().toTsv());

        Files.writeString(outDir.resolve("dendrogram.tsv"), NetworkTables.dendrogram(r.tree()));

        String json = String.format(Locale.ROOT, """
                {
                  "input": "%s",
                  "features": %d,
                  "samples": %d,
                  "correlation": "%s",
                  "maxPOutliers": %s,
                  "networkType": "%s",
                  "tomType": "%s",
                  "TOMDenom": "min",
                  "power": %s,
                  "powerRule": "%s",
                  "rSquaredCut": %s,
                  "powers": %s,
                  "clustering": "average linkage of 1 - TOM (nearest-neighbour chain)",
                  "treeCut": "dynamic hybrid",
                  "minModuleSize": %d,
                  "deepSplit": %d,
                  "pamStage": %s,
                  "pamRespectsDendro": true,
                  "mergeCutHeight": %s,
                  "tileRows": %d,
                  "memoryBudget": %d,
                  "modules": %d,
                  "traits": %s,
                  "edges": %s,
                  "edgeCount": %d,
                  "missingValues": "%s"
                }
                """, input.replace("\\", "\\\\").replace("\"", "\\\""), r.features().size(), n, p.correlation().label(),
                num(p.maxPOutliers()), p.networkType().label(), p.tomType().label(), num(r.power()), r.powerRule(),
                num(p.rSquaredCut()), java.util.Arrays.toString(p.powers()), p.minModuleSize(), p.deepSplit(), p.pamStage(),
                num(p.mergeCutHeight()), r.plan().blockRows(), r.plan().memoryBudget(), java.util.Arrays.stream(r.labels()).max().orElse(0),
                r.traits() == null ? "null" : "\"" + String.join(",", r.traits().names()) + "\"",
                r.edgeRule() == null ? "null" : "\"" + r.edgeRule() + "\"", r.edges(),
                r.pairwiseComplete() ? "pairwise-complete correlation; mean in place of missing values for eigengenes" : "none");
        Files.writeString(outDir.resolve("params.json"), json);
    }

    private static String num(double v) {
        return NetworkTables.num(v);
    }
}
