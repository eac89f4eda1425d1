package org.omx.engine.cli;

import org.omx.engine.normalize.AbundanceFilter;
import org.omx.engine.normalize.AutoScaling;
import org.omx.engine.normalize.Clr;
import org.omx.engine.normalize.ComBat;
import org.omx.engine.normalize.Cpm;
import org.omx.engine.normalize.HalfMinimumImputation;
import org.omx.engine.normalize.KnnImputation;
import org.omx.engine.normalize.Log2;
import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.LowCountFilter;
import org.omx.engine.normalize.MedianCentering;
import org.omx.engine.normalize.MedianOfRatios;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.Normalization;
import org.omx.engine.normalize.ParetoScaling;
import org.omx.engine.normalize.Pqn;
import org.omx.engine.normalize.PrevalenceFilter;
import org.omx.engine.normalize.QuantileNormalization;
import org.omx.engine.normalize.SampleTable;
import org.omx.engine.normalize.StandardizedDosage;
import org.omx.engine.normalize.TopVariance;
import org.omx.engine.normalize.TotalSumScaling;
import org.omx.engine.normalize.VarianceFilter;
import org.omx.engine.normalize.Voom;
import org.omx.engine.normalize.Vst;
import org.omx.engine.normalize.ZScore;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx normalize STORE -o OUT.omx --method NAME}: one normalization, transform, filter or batch correction. */
@Command(name = "normalize", mixinStandardHelpOptions = true,
        description = {"Normalize, transform, filter or batch-correct a store into a new store, tile by tile; "
                + "the step is recorded in the new store's provenance.",
                "Methods: " + NormalizeCommand.METHODS})
public final class NormalizeCommand implements Callable<Integer> {

    static final String METHODS = "cpm, logcpm, voom, median-of-ratios, vst (RNA-seq counts); log2, quantile, median-center, zscore "
            + "(arrays, proteomics); pqn, autoscale, pareto, half-minimum, knn (metabolomics); tss, clr (microbiome); standardize-dosage (genotypes); combat (batches); "
            + "filter-low-counts, filter-variance, filter-top-variance, filter-prevalence, filter-abundance.";

    @Parameters(index = "0", paramLabel = "STORE", description = "The input store (NAME.omx).")
    Path store;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The store to write (NAME.omx).")
    Path output;

    @Option(names = {"-m", "--method"}, required = true, paramLabel = "NAME", description = "The method (see above).")
    String method;

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
    List<String> covariates = new ArrayList<>();

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

    @Override
    public Integer call() throws Exception {
        try (MatrixStore in = MatrixStore.open(store)) {
            Normalization n = method(in);
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

    private Normalization method(MatrixStore in) throws Exception {
        boolean tmm = switch (normFactors) {
            case "tmm" -> true;
            case "none" -> false;
            default -> throw new UserException("--norm-factors must be tmm or none, not " + normFactors);
        };
        return switch (method) {
            case "cpm" -> new Cpm(tmm);
            case "logcpm" -> new LogCpm(tmm, positive("--prior-count", priorCount));
            case "voom" -> voom(in, tmm);
            case "median-of-ratios" -> new MedianOfRatios();
            case "vst" -> new Vst();
            case "log2" -> new Log2(pseudocount);
            case "quantile" -> new QuantileNormalization();
            case "median-center" -> new MedianCentering();
            case "zscore" -> new ZScore();
            case "autoscale" -> new AutoScaling();
            case "pareto" -> new ParetoScaling();
            case "pqn" -> new Pqn();
            case "half-minimum" -> new HalfMinimumImputation();
            case "knn" -> {
                if (k < 1) throw new UserException("--k must be at least 1");
                yield new KnnImputation(k);
            }
            case "tss" -> new TotalSumScaling(positive("--scale", scale));
            case "clr" -> {
                if (pseudocount < 0) throw new UserException("--pseudocount must be >= 0");
                yield new Clr(pseudocount);
            }
            case "combat" -> combat(in);
            case "standardize-dosage" -> new StandardizedDosage();
            case "filter-low-counts" -> new LowCountFilter(minCount, minSamples);
            case "filter-variance" -> new VarianceFilter(minVariance);
            case "filter-top-variance" -> {
                if (top < 1) throw new UserException("--top must be at least 1");
                yield new TopVariance(top);
            }
            case "filter-prevalence" -> new PrevalenceFilter(detection, minPrevalence);
            case "filter-abundance" -> new AbundanceFilter(minAbundance);
            default -> throw new UserException("unknown --method " + method + " (have: " + METHODS + ")");
        };
    }

    private Normalization voom(MatrixStore in, boolean tmm) throws Exception {
        if (group == null) return new Voom(tmm, null, null, weights);
        if (sampleTable == null) throw new UserException("--group needs --sample-table with that column");
        return new Voom(tmm, SampleTable.read(sampleTable).column(group, in.sampleIds()), group, weights);
    }

    private Normalization combat(MatrixStore in) throws Exception {
        if (sampleTable == null) throw new UserException("combat needs --sample-table with a batch column");
        SampleTable t = SampleTable.read(sampleTable);
        Map<String, List<String>> cov = new LinkedHashMap<>();
        for (String c : covariates) cov.put(c, t.column(c, in.sampleIds()));
        return new ComBat(t.column(batchColumn, in.sampleIds()), cov);
    }

    private static double positive(String option, double v) {
        if (!(v > 0)) throw new UserException(option + " must be positive, not " + v);
        return v;
    }
}
