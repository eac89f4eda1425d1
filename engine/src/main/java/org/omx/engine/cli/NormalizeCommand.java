package org.omx.engine.cli;

import org.omx.engine.cohort.CohortNormalize;
import org.omx.engine.normalize.InvalidStepException;
import org.omx.engine.normalize.NormalizationCatalog;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.Normalization;
import org.omx.engine.normalize.Voom;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code omx normalize STORE -o OUT.omx --method NAME}: one normalization, transform, filter or
 * batch correction; {@code omx normalize --manifest cohort.yaml -o DIR}: every layer's recipe.
 */
@Command(name = "normalize", mixinStandardHelpOptions = true,
        description = {"Normalize, transform, filter or batch-correct a store into a new store, tile by tile; "
                + "the step is recorded in the new store's provenance.",
                "Methods: " + NormalizeCommand.METHODS,
                "With --manifest, runs each layer's recipe (its 'normalize' list of steps, e.g. "
                        + "[{filter: low-counts, min-count: 10}, {method: logcpm}]; parameters are named as the options below, "
                        + "without '--') and writes DIR/LAYER.omx per layer and DIR/cohort.yaml."})
public final class NormalizeCommand implements Callable<Integer> {

    static final String METHODS = "cpm, logcpm, voom, median-of-ratios, vst (RNA-seq counts); log2, quantile, median-center, zscore "
            + "(arrays, proteomics); pqn, autoscale, pareto, half-minimum, knn (metabolomics); tss, clr (microbiome); standardize-dosage (genotypes); combat (batches); "
            + "filter-low-counts, filter-variance, filter-top-variance, filter-prevalence, filter-abundance.";

    @Parameters(index = "0", arity = "0..1", paramLabel = "STORE", description = "The input store (NAME.omx), or a PLINK .bed for --method standardize-dosage; not with --manifest.")
    Path store;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "The store to write (NAME.omx); with --manifest, the directory for the normalized cohort.")
    Path output;

    @Option(names = {"-m", "--method"}, paramLabel = "NAME", description = "The method (see above).")
    String method;

    @Option(names = "--manifest", paramLabel = "MANIFEST", description = "cohort.yaml (or .json): run the recipe of every layer that has one.")
    Path manifest;

    @Option(names = "--layer", paramLabel = "NAME", description = "With --manifest: only this layer (repeatable).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--ref-batch", paramLabel = "BATCH", description = "combat: the reference batch, left unchanged (sva ref.batch).")
    String refBatch;

    @Option(names = "--par-prior", paramLabel = "true|false", defaultValue = "true",
            description = "combat: parametric priors, or false for sva's non-parametric prior (default: ${DEFAULT-VALUE}).")
    String parPrior;

    @Option(names = "--mean-only", paramLabel = "true|false", defaultValue = "false",
            description = "combat: adjust batch means only, not variances (default: ${DEFAULT-VALUE}).")
    String meanOnly;

    @Option(names = "--norm-factors", paramLabel = "tmm|none", defaultValue = "tmm",
            description = "cpm, logcpm: scale library sizes by edgeR TMM factors or not (default: ${DEFAULT-VALUE}).")
    String normFactors;

    @Option(names = "--prior-count", paramLabel = "X", defaultValue = "2",
            description = "logcpm: edgeR's prior count, scaled to each library (default: ${DEFAULT-VALUE}).")
    double priorCount;

    @Option(names = "--pseudocount", paramLabel = "X", defaultValue = "1",
            description = "log2, clr: added before the logarithm (default: ${DEFAULT-VALUE}).")
    double pseudocount;

    @Option(names = "--scale", paramLabel = "X", defaultValue = "1",
            description = "tss: total each sample is scaled to (default: ${DEFAULT-VALUE}, proportions).")
    double scale;

    @Option(names = "--sample-table", paramLabel = "TSV", description = "combat: sample annotations (first column sample IDs, a header).")
    Path sampleTable;

    @Option(names = "--batch", paramLabel = "COLUMN", defaultValue = "batch", description = "combat: batch column of --sample-table (default: ${DEFAULT-VALUE}).")
    String batchColumn;

    @Option(names = "--covariate", paramLabel = "COLUMN", description = "combat: a covariate column to protect (repeatable).")
    List<String> covariate = new ArrayList<>();

    @Option(names = "--weights", paramLabel = "OUT", description = "voom: where to write the precision weights "
            + "(default: NAME.weights.omx beside the output NAME.omx).")
    Path weights;

    @Option(names = "--group", paramLabel = "COLUMN", description = "voom: a group column of --sample-table; the design "
            + "becomes ~ group (default: intercept only).")
    String group;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10",
            description = "knn: neighbours per feature (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--min-count", paramLabel = "X", defaultValue = "10", description = "filter-low-counts: count threshold (default: ${DEFAULT-VALUE}).")
    double minCount;

    @Option(names = "--min-samples", paramLabel = "N", defaultValue = "3", description = "filter-low-counts: samples that must reach it (default: ${DEFAULT-VALUE}).")
    int minSamples;

    @Option(names = "--min-variance", paramLabel = "X", defaultValue = "0", description = "filter-variance: keep variance above this (default: ${DEFAULT-VALUE}).")
    double minVariance;

    @Option(names = "--top", paramLabel = "N", defaultValue = "5000", description = "filter-top-variance: features kept (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--detection", paramLabel = "X", defaultValue = "0", description = "filter-prevalence: detected means above this (default: ${DEFAULT-VALUE}).")
    double detection;

    @Option(names = "--min-prevalence", paramLabel = "F", defaultValue = "0.1", description = "filter-prevalence: fraction of samples (default: ${DEFAULT-VALUE}).")
    double minPrevalence;

    @Option(names = "--min-abundance", paramLabel = "F", defaultValue = "1e-4", description = "filter-abundance: mean relative abundance (default: ${DEFAULT-VALUE}).")
    double minAbundance;

    @Option(names = {"-f", "--force"}, description = "Replace the output store if it exists.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Options that are not method parameters. */
    private static final java.util.Set<String> NOT_PARAMETERS = java.util.Set.of("output", "method", "manifest", "layer", "force",
            "backend", "threads", "memory", "quiet", "help", "version");

    @Override
    public Integer call() throws Exception {
        if (manifest != null) return runManifest();
        if (store == null) throw new UserException("give a STORE and --method, or --manifest cohort.yaml");
        if (method == null) throw new UserException("--method is required with a STORE (methods: " + METHODS + ")");
        if (store.getFileName().toString().endsWith(".bed")) return standardizeBed();
        try (MatrixStore in = MatrixStore.open(store)) {
            Normalization n = build(in);
            try (Backend backend = Backends.open(common.backend(), common.threads(), common::log);
                 ProgressBar bar = common.progress("normalize " + n.name(), "rows")) {
                NormalizeContext ctx = new NormalizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
                StoreMeta meta = n.apply(in, output, force, ctx);
                System.out.println("wrote " + output + ": " + meta.rows() + " features x " + meta.cols() + " samples, " + meta.units());
                if (n instanceof Voom) System.out.println("wrote " + (weights != null ? weights : Voom.weightsPath(output))
                        + ": voom precision weights");
            }
        }
        return 0;
    }

    /** A PLINK .bed is read directly by standardize-dosage only. */
    private int standardizeBed() throws Exception {
        if (!method.equals("standardize-dosage"))
            throw new UserException(store + " is a PLINK .bed: it takes --method standardize-dosage (or omx genotype stats); "
                    + "for other methods import it first (omx import)");
        return GenotypeCommand.standardize(store, output, force, common);
    }

    private int runManifest() throws Exception {
        if (store != null) throw new UserException("give either a STORE or --manifest, not both");
        List<String> given = givenParameters().keySet().stream().map(k -> "--" + k).toList();
        if (method != null || !given.isEmpty())
            throw new UserException("with --manifest the methods and their parameters come from each layer's recipe; "
                    + "drop " + (method != null ? "--method" : String.join(", ", given)));
        CohortManifest m = CohortManifest.read(manifest);
        try (Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("normalize cohort", "rows")) {
            NormalizeContext ctx = new NormalizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            var out = CohortNormalize.run(manifest, m, output, new LinkedHashSet<>(layers), force, ctx);
            for (CohortNormalize.Outcome o : out)
                System.out.println(o.steps() == 0 ? "layer " + o.layer() + ": no recipe, kept " + o.store()
                        : "layer " + o.layer() + ": " + o.steps() + " steps, wrote " + o.store() + " (" + o.units() + ")");
            System.out.println("wrote " + output.resolve("cohort.yaml"));
        }
        return 0;
    }

    /** The method parameters given on the command line, by name without the dashes. */
    private Map<String, String> givenParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName().replaceFirst("^--", "");
            if (NOT_PARAMETERS.contains(name) || !spec.commandLine().getParseResult().hasMatchedOption(o)) continue;
            Object v = o.getValue();
            p.put(name, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v));
        }
        return p;
    }

    private Normalization build(MatrixStore in) throws Exception {
        try {
            return NormalizationCatalog.create(method, givenParameters(), new NormalizationCatalog.Inputs(in.sampleIds(), null));
        } catch (InvalidStepException e) {
            throw new UserException((e.parameter() == null ? "--method: " : "--" + e.parameter() + ": ") + e.getMessage());
        }
    }
}
