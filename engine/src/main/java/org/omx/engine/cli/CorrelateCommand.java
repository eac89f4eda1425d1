package org.omx.engine.cli;

import org.omx.engine.network.CorrelationMethod;
import org.omx.engine.network.CrossCorrelation;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code omx correlate A.omx B.omx -o OUTDIR}: cross-layer bipartite correlation with exact BH FDR. */
@Command(name = "correlate", mixinStandardHelpOptions = true,
        description = "Correlate every feature of one store with every feature of another over their shared samples: r, Student p "
                + "(WGCNA corPvalueStudent), Benjamini-Hochberg FDR over all pairs (exact, streamed in two passes); writes the pairs "
                + "with FDR <= --fdr to OUTDIR/cross.tsv.gz, most significant first, and OUTDIR/params.json.")
public final class CorrelateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "First store (features x samples), e.g. genes.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Second store (features x samples), e.g. metabolites; samples matched by ID.")
    Path b;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for cross.tsv.gz and params.json.")
    Path out;

    @Option(names = "--fdr", paramLabel = "Q", defaultValue = "0.05", description = "Write pairs with BH FDR <= Q; 1 writes all (default: ${DEFAULT-VALUE}).")
    double fdr;

    @Option(names = "--corr", paramLabel = "METHOD", defaultValue = "pearson", description = "pearson, spearman or bicor (default: ${DEFAULT-VALUE}).")
    String corr;

    @Option(names = "--max-p-outliers", paramLabel = "P", defaultValue = "1", description = "bicor's maxPOutliers (default: ${DEFAULT-VALUE}).")
    double maxPOutliers;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        return correlate(a, b, out, corr, maxPOutliers, fdr, common);
    }

    /** The whole command; also what {@code omx network A --cross B} runs. */
    static int correlate(Path a, Path b, Path out, String corr, double maxPOutliers, double fdr, CommonOptions common) throws Exception {
        CorrelationMethod method;
        try {
            method = CorrelationMethod.parse(corr);
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid option value: " + e.getMessage() + " (--corr pearson|spearman|bicor)");
        }
        Files.createDirectories(out);
        try (MatrixStore sa = MatrixStore.open(a); MatrixStore sb = MatrixStore.open(b);
             Backend backend = Backends.open(common.backend(), common.threads(), common::log)) {
            CrossCorrelation.Result r = CrossCorrelation.run(backend, sa, sb, method, maxPOutliers, fdr, common.memoryBytes(),
                    out.resolve("cross.tsv.gz"), common.threads(), common::log);
            Files.writeString(out.resolve("params.json"), String.format(Locale.ROOT, """
                    {
                      "a": "%s",
                      "b": "%s",
                      "featuresA": %d,
                      "featuresB": %d,
                      "samples": %d,
                      "samplesOnlyInA": %d,
                      "samplesOnlyInB": %d,
                      "correlation": "%s",
                      "maxPOutliers": %s,
                      "pValue": "Student t, n - 2 df (WGCNA corPvalueStudent)",
                      "multipleTesting": "Benjamini-Hochberg over all pairs (R p.adjust method BH), exact two-pass",
                      "fdr": %s,
                      "pairs": %d,
                      "written": %d
                    }
                    """, esc(a), esc(b), sa.rows(), sb.rows(), r.samples(), r.droppedSamplesA().size(), r.droppedSamplesB().size(),
                    method.label(), maxPOutliers, fdr, r.pairs(), r.written()));
            System.out.printf(Locale.ROOT, "%d pairs over %d samples; %d with BH FDR <= %s; wrote %s%n", r.pairs(), r.samples(), r.written(),
                    fdr, out.resolve("cross.tsv.gz"));
        }
        return 0;
    }

    private static String esc(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
