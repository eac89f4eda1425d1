package org.omx.engine.cli;

import org.omx.engine.network.ConsensusNetwork;
import org.omx.engine.network.ConsensusOutputs;
import org.omx.engine.network.CorrelationMethod;
import org.omx.engine.network.NetworkAnalysis;
import org.omx.engine.network.NetworkType;
import org.omx.engine.network.SoftThreshold;
import org.omx.engine.network.TilePlan;
import org.omx.engine.network.TomType;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code omx network STORE -o OUTDIR}: WGCNA-style co-expression modules, exact and out of core. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = {"Co-expression network and modules (WGCNA's definitions, all features in one exact network): "
                + "power table, adjacency, TOM (tiled, out of core), average-linkage clustering, dynamic tree cut, eigengenes, kME.",
                "With --consensus: consensus modules of several sets (WGCNA consensusTOM): per-set TOM, single-quantile calibration, "
                        + "element-wise minimum, then the same clustering and tree cut; eigengenes and kME per set.",
                "With --cross OTHER: bipartite correlation of STORE's features with OTHER's (r, Student p, BH FDR over all pairs), "
                        + "the same computation as 'omx correlate STORE OTHER'."})
public final class NetworkCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store directory (features x samples), e.g. a log-scale expression layer.")
    Path store;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for modules.tsv, eigengenes.tsv, kME.tsv, soft-threshold.tsv, params.json.")
    Path out;

    @Option(names = "--power", paramLabel = "auto|N", defaultValue = "auto",
            description = "Soft-threshold power, or auto: the lowest power with signed scale-free R^2 > --r-squared-cut (default: ${DEFAULT-VALUE}). "
                    + "A given power skips the power table (see --power-table) and warns when its own fit is below the cut.")
    String power;

    @Option(names = "--power-table",
            description = "With --power N: still compute the scale-free fit table over all powers (soft-threshold.tsv; one more pass "
                    + "over the correlations). --power auto always computes it.")
    boolean powerTable;

    @Option(names = "--r-squared-cut", paramLabel = "R2", defaultValue = "0.85", description = "Scale-free fit needed for --power auto (default: ${DEFAULT-VALUE}).")
    double rSquaredCut;

    @Option(names = "--network-type", paramLabel = "TYPE", defaultValue = "unsigned", description = "unsigned, signed or signed-hybrid (default: ${DEFAULT-VALUE}).")
    String networkType;

    @Option(names = "--tom-type", paramLabel = "TYPE", defaultValue = "unsigned", description = "unsigned or signed (default: ${DEFAULT-VALUE}).")
    String tomType;

    @Option(names = "--corr", paramLabel = "METHOD", defaultValue = "pearson", description = "pearson, spearman or bicor (default: ${DEFAULT-VALUE}).")
    String corr;

    @Option(names = "--max-p-outliers", paramLabel = "P", defaultValue = "1", description = "bicor's maxPOutliers (default: ${DEFAULT-VALUE}).")
    double maxPOutliers;

    @Option(names = "--min-module-size", paramLabel = "N", defaultValue = "20", description = "Smallest module (default: ${DEFAULT-VALUE}).")
    int minModuleSize;

    @Option(names = "--deep-split", paramLabel = "N", defaultValue = "2", description = "Tree-cut sensitivity 0-4 (default: ${DEFAULT-VALUE}).")
    int deepSplit;

    @Option(names = "--pam", description = "Run the tree cut's second (PAM-like) stage as WGCNA does by default (pamRespectsDendro = TRUE, "
                    + "respectSmallClusters, maxPamDist = cut height): a leftover feature joins the closest module of the branch it joined.")
    boolean pam;

    @Option(names = "--merge-cut-height", paramLabel = "H", defaultValue = "0.15",
            description = "Merge modules whose eigengenes correlate at >= 1 - H; 0 disables (default: ${DEFAULT-VALUE}).")
    double mergeCutHeight;

    @Option(names = "--save-tom", description = "Keep the TOM as OUTDIR/tom.omx (features x features float32).")
    boolean saveTom;

    @Option(names = "--traits", paramLabel = "TSV",
            description = "Sample traits (first column sample IDs, e.g. sample_id; numeric columns used, NA allowed): writes module-trait.tsv (cor, Student p, n); "
                    + "with --consensus one file holding every set's samples, module-trait-setN.tsv per set.")
    Path traits;

    @Option(names = "--hubs", paramLabel = "N", defaultValue = "10", description = "Hub features per module in hubs.tsv, by kME then kWithin (default: ${DEFAULT-VALUE}).")
    int hubs;

    @Option(names = "--edges-min-cor", paramLabel = "R", description = "Edge list: keep pairs with |cor| >= R (writes edges.tsv.gz).")
    Double edgesMinCor;

    @Option(names = "--edges-min-tom", paramLabel = "T", description = "Edge list: keep pairs with TOM >= T (writes edges.tsv.gz).")
    Double edgesMinTom;

    @Option(names = "--edges-top-k", paramLabel = "K", description = "Edge list: keep pairs among the K highest-TOM neighbours of either feature; cuts that are set must all hold. "
                    + "With --consensus the TOM is the consensus TOM, the file has one cor_setN column per set and --edges-min-cor must hold in every set.")
    Integer edgesTopK;

    @Option(names = "--consensus", paramLabel = "STORE",
            description = "Another set (store) for a consensus network with STORE; repeat for more sets. Features are matched by ID "
                    + "(those shared by all sets, in STORE's order); each set keeps its own samples. Writes modules.tsv, sets.tsv, "
                    + "eigengenes-setN.tsv and kME-setN.tsv per set (N = 1 for STORE, then the --consensus sets in order).")
    List<Path> consensus = new ArrayList<>();

    @Option(names = "--calibration-quantile", paramLabel = "Q", defaultValue = "0.95",
            description = "With --consensus: each set's TOM is raised to a power so that its Q quantile equals the first set's "
                    + "(WGCNA networkCalibration = \"single quantile\"; default: ${DEFAULT-VALUE}).")
    double calibrationQuantile;

    @Option(names = "--consensus-quantile", paramLabel = "Q", defaultValue = "0",
            description = "With --consensus: the consensus TOM is the element-wise Q quantile of the calibrated set TOMs and close "
                    + "modules merge on the Q quantile of the sets' eigengene correlations (WGCNA consensusQuantile; default "
                    + "${DEFAULT-VALUE}: the minimum, the strictest consensus). Q > 0 keeps every set's TOM on disk.")
    double consensusQuantile;

    @Option(names = "--cross", paramLabel = "OTHER",
            description = "Instead of modules: correlate every feature of STORE with every feature of the store OTHER over shared "
                    + "samples (as 'omx correlate'); writes OUTDIR/cross.tsv.gz with pairs at BH FDR <= --fdr.")
    Path cross;

    @Option(names = "--fdr", paramLabel = "Q", defaultValue = "0.05", description = "With --cross: write pairs with BH FDR <= Q (default: ${DEFAULT-VALUE}).")
    double fdr;

    @Option(names = "--plan", description = "Print the tile plan (memory, bytes moved, FLOPs) and exit without computing.")
    boolean planOnly;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (cross != null) {
            if (!consensus.isEmpty()) throw new UserException("--cross and --consensus are separate analyses; give one of them");
            return CorrelateCommand.correlate(store, cross, out, corr, maxPOutliers, fdr, common);
        }
        NetworkAnalysis.Parameters p;
        try {
            double pw = power.equalsIgnoreCase("auto") ? Double.NaN : Double.parseDouble(power);
            p = new NetworkAnalysis.Parameters(CorrelationMethod.parse(corr), maxPOutliers, NetworkType.parse(networkType),
                    TomType.parse(tomType), pw, rSquaredCut, SoftThreshold.DEFAULT_POWERS, minModuleSize, deepSplit, pam,
                    mergeCutHeight, saveTom);
        } catch (org.omx.engine.network.NetworkInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid option value: " + e.getMessage()
                    + " (--power auto|N, --network-type unsigned|signed|signed-hybrid, --tom-type unsigned|signed, --corr pearson|spearman|bicor)");
        }
        org.omx.engine.network.EdgeList.Rule edges = edgesMinCor == null && edgesMinTom == null && edgesTopK == null ? null
                : new org.omx.engine.network.EdgeList.Rule(edgesMinCor == null ? Double.NaN : edgesMinCor,
                edgesMinTom == null ? Double.NaN : edgesMinTom, edgesTopK == null ? 0 : edgesTopK);
        if (!consensus.isEmpty()) return consensus(p, edges);
        NetworkAnalysis.Extras extras = new NetworkAnalysis.Extras(traits, edges, hubs, powerTable);
        int tablePowers = Double.isNaN(p.power()) || powerTable ? SoftThreshold.DEFAULT_POWERS.length : 0;
        if (planOnly) {
            try (MatrixStore s = MatrixStore.open(store)) {
                System.out.print(NetworkAnalysis.plan(s, common.memoryBytes()).describe(tablePowers));
                return 0;
            }
        }
        try (BackendOpening opening = new BackendOpening(common.backend(), common.threads(), common::log);
             MatrixStore s = MatrixStore.open(store)) {
            TilePlan plan = NetworkAnalysis.plan(s, common.memoryBytes());
            common.log(plan.describe(tablePowers).strip());
            try (Backend backend = opening.get()) {
                NetworkAnalysis.Result r = NetworkAnalysis.run(backend, s, out, p, extras, common.threads(), common.memoryBytes(), common::log,
                        (task, total) -> {
                            ProgressBar bar = common.progress(task, "");
                            return done -> {
                                bar.update(done, total);
                                if (done >= total) bar.close();
                            };
                        });
                NetworkAnalysis.write(r, p, out, store.toString());
                long modules = Arrays.stream(r.labels()).max().orElse(0);
                long unassigned = Arrays.stream(r.labels()).filter(l -> l == 0).count();
                System.out.printf(Locale.ROOT, "power %s (%s); %d modules, %d of %d features unassigned; wrote %s%n",
                        r.table() == null ? power : trim(r.power()), r.powerRule(), modules, unassigned, r.features().size(), out);
            }
        }
        return 0;
    }

    private int consensus(NetworkAnalysis.Parameters p, org.omx.engine.network.EdgeList.Rule edges) throws Exception {
        List<MatrixStore> sets = new ArrayList<>();
        try {
            sets.add(MatrixStore.open(store));
            for (Path c : consensus) sets.add(MatrixStore.open(c));
            TilePlan plan = ConsensusNetwork.plan(sets, common.memoryBytes());
            int tablePowers = Double.isNaN(p.power()) ? SoftThreshold.DEFAULT_POWERS.length : 0;   // consensus: the table only picks the power
            if (planOnly) {
                System.out.print(plan.describe(tablePowers));
                int extraToms = consensusQuantile == 0 ? 1 : sets.size() - 1;
                System.out.printf(Locale.ROOT, "consensus of %d sets: the tile passes run once per set; scratch adds %d set TOM%s (%s on disk)%n",
                        sets.size(), extraToms, extraToms == 1 ? "" : "s", bytes(4L * extraToms * plan.features() * plan.features()));
                return 0;
            }
            common.log(plan.describe(tablePowers).strip());
            try (Backend backend = Backends.open(common.backend(), common.threads(), common::log)) {
                ConsensusNetwork.Result r = ConsensusNetwork.run(backend, sets, out, p, calibrationQuantile, consensusQuantile, traits, edges, common.threads(),
                        common.memoryBytes(), common::log, (task, total) -> {
                            ProgressBar bar = common.progress(task, "");
                            return done -> {
                                bar.update(done, total);
                                if (done >= total) bar.close();
                            };
                        });
                ConsensusOutputs.write(r, p, calibrationQuantile, out);
                long modules = Arrays.stream(r.labels()).max().orElse(0);
                long unassigned = Arrays.stream(r.labels()).filter(l -> l == 0).count();
                System.out.printf(Locale.ROOT, "consensus of %d sets, %d shared features: power %s (%s); %d modules, %d unassigned; wrote %s%n",
                        sets.size(), r.alignment().features().size(), trim(r.power()), r.powerRule(), modules, unassigned, out);
            }
            return 0;
        } finally {
            for (MatrixStore s : sets) s.close();
        }
    }

    private static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30)) : String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
