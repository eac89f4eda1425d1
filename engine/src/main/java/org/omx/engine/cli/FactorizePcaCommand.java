package org.omx.engine.cli;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.FactorizeOutput;
import org.omx.engine.factorize.GenotypePca;
import org.omx.engine.factorize.RandomizedSvd;
import org.omx.engine.factorize.SvdResult;
import org.omx.engine.factorize.StoreRows;
import org.omx.io.plink.BedFile;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx factorize pca INPUT -k K -o DIR}: PCA of a store (features centered) or of genotypes in a .bed (plink2 --pca convention). */
@Command(name = "pca", mixinStandardHelpOptions = true,
        description = {"Randomized PCA of a store (features centered, optionally scaled) or of a PLINK .bed "
                + "(standardized dosages, plink2 --pca's GRM eigenvalues). Writes scores.tsv, eigenvectors.tsv, loadings.tsv, "
                + "variance.tsv and params.json (with the convergence trace) into OUTDIR."})
public class FactorizePcaCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT", description = "A store (NAME.omx) or a PLINK fileset (PREFIX, PREFIX.bed).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for the result files.")
    Path output;

    @Mixin
    SvdOptions svd;

    @Option(names = "--scale", description = "Stores: also scale features to unit variance (correlation PCA).")
    boolean scale;

    @Option(names = "--variants", paramLabel = "FILE", description = ".bed: use only these variant IDs, one per line (e.g. plink's .prune.in).")
    Path variants;

    @Option(names = "--no-missingness-correction", description = ".bed: plain Z^T Z / M, without plink2's correction for missing calls.")
    boolean noMissingnessCorrection;

    @Option(names = "--traits", paramLabel = "TSV", description = "Phenotypes/covariates with a sample_id column: writes factor-traits.tsv (PC scores).")
    Path traits;

    @Mixin
    CommonOptions common;

    boolean center() {
        return true;
    }

    String name() {
        return "pca";
    }

    @Override
    public Integer call() throws Exception {
        boolean bed = isBed(input);
        try (Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("factorize " + name(), "rows")) {
            FactorizeContext ctx = new FactorizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("command", "factorize " + name());
            params.put("input", input.toString());
            params.put("rank", svd.rank);
            params.put("oversample", svd.oversample);
            params.put("power_iterations", svd.powerIterations);
            params.put("max_passes", svd.maxPasses);
            params.put("method", svd.method().name().toLowerCase(Locale.ROOT));
            params.put("seed", svd.seed);
            params.put("backend", backend.name());
            if (bed) {
                if (!center()) throw new UserException("factorize svd takes stores; use factorize pca for a .bed");
                List<String> keep = variants == null ? null : Files.readAllLines(variants).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
                try (BedFile b = BedFile.open(input)) {
                    RandomizedSvd.Options o = svd.options(false, false);
                    GenotypePca.Result r = GenotypePca.compute(b, keep, o, !noMissingnessCorrection, ctx);
                    params.put("input_kind", "plink bed: standardized dosages (g - 2p)/sqrt(2p(1-p)), missing -> 0");
                    params.put("variants_used", r.rows().rows());
                    params.put("missingness_correction", !noMissingnessCorrection);
                    params.put("eigenvalues", "GRM eigenvalues as plink2 --pca: sigma^2 / M, M = variants with a call");
                    FactorizeOutput.writeSvd(output, r.svd(), r.divisor(), i -> {
                        BedFile.Variant v = b.variants().get(r.rows().variantIndex(i));
                        return v.allele1() + "\t" + v.allele2();
                    }, params);
                    report(r.svd(), r.eigenvalues());
                    traits(r.svd());
                }
            } else {
                try (MatrixStore s = MatrixStore.open(input)) {
                    StoreRows rows = new StoreRows(s);
                    RandomizedSvd.Options o = svd.options(center(), scale);
                    common.log(RandomizedSvd.plan(rows, o, common.memoryBytes(), backend.name()));
                    SvdResult r = RandomizedSvd.compute(rows, o, ctx);
                    params.put("center", center());
                    params.put("scale", scale);
                    double divisor = center() ? s.cols() - 1 : 1;
                    params.put("eigenvalues", center() ? "covariance eigenvalues: sigma^2 / (samples - 1)" : "sigma^2");
                    FactorizeOutput.writeSvd(output, r, divisor, null, params);
                    report(r, r.eigenvalues(divisor));
                    traits(r);
                }
            }
        }
        return 0;
    }

    private void traits(SvdResult r) throws java.io.IOException {
        if (traits == null) return;
        double[][] sc = new double[r.rank()][r.colIds().size()];
        for (int j = 0; j < r.rank(); j++) for (int i = 0; i < sc[j].length; i++) sc[j][i] = r.score(i, j);
        System.out.println(FactorizeOutput.writeTraits(output, traits, r.colIds(), "PC", sc, common::log));
    }

    private void report(SvdResult r, double[] ev) {
        double[] p = r.proportionExplained();
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < Math.min(5, r.rank()); j++)
            b.append(String.format(Locale.ROOT, "%s PC%d %.4g (%.1f%%)", j == 0 ? "" : ",", j + 1, ev[j], 100 * p[j]));
        System.out.println("wrote " + output + ": " + r.rank() + " components, " + r.passes() + " passes over the data; eigenvalues" + b);
    }

    static boolean isBed(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(".bed") || name.endsWith(".bim") || name.endsWith(".fam")) return true;
        return !Files.isDirectory(p) && Files.isRegularFile(p.resolveSibling(name + ".bed"));
    }
}
