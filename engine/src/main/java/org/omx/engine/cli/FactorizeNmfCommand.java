package org.omx.engine.cli;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.FactorizeOutput;
import org.omx.engine.factorize.Nmf;
import org.omx.engine.factorize.StoreRows;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx factorize nmf STORE -k K -o DIR}: non-negative matrix factorization. */
@Command(name = "nmf", mixinStandardHelpOptions = true,
        description = "NMF of a non-negative store, one pass over the data per iteration. Writes loadings.tsv (W, features x k), "
                + "scores.tsv (H, samples x k) and params.json (objective trace).")
public final class FactorizeNmfCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "The input store (NAME.omx), non-negative.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for the result files.")
    Path output;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Factors (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--solver", paramLabel = "mu|kl|hals", defaultValue = "hals",
            description = "mu: multiplicative updates, Frobenius; kl: multiplicative updates, Kullback-Leibler; hals: coordinate descent, Frobenius (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--init", paramLabel = "nndsvd|nndsvda|random", defaultValue = "nndsvda", description = "Initialization (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200", description = "Iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-4",
            description = "Stop when the relative decrease of the objective falls below this; 0 runs every iteration (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--restarts", paramLabel = "N", defaultValue = "1", description = "Runs (the first from --init, the rest random with seeds seed+1, ...); the best is kept (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ranks", paramLabel = "LIST", description = "Rank selection help: ranks to survey (e.g. 2-8 or 2,4,6); writes rank-survey.tsv "
            + "(reconstruction error and cophenetic correlation of --survey-runs random-start runs per rank) before the -k fit.")
    String ranks;

    @Option(names = "--survey-runs", paramLabel = "N", defaultValue = "10", description = "Runs per rank for --ranks (default: ${DEFAULT-VALUE}).")
    int surveyRuns;

    @Option(names = "--traits", paramLabel = "TSV", description = "Phenotypes/covariates with a sample_id column: writes factor-traits.tsv.")
    Path traits;

    @Mixin
    CommonOptions common;

    static int[] parseRanks(String spec) {
        List<Integer> out = new java.util.ArrayList<>();
        try {
            for (String part : spec.split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).strip()), b = Integer.parseInt(p.substring(dash + 1).strip());
                    for (int k = a; k <= b; k++) out.add(k);
                } else out.add(Integer.parseInt(p));
            }
        } catch (NumberFormatException e) {
            throw new UserException("--ranks must be a list like 2-8 or 2,4,6, not " + spec);
        }
        if (out.isEmpty() || out.stream().anyMatch(k -> k < 1)) throw new UserException("--ranks must list ranks >= 1, not " + spec);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Integer call() throws Exception {
        Nmf.Solver s = switch (solver) {
            case "mu" -> Nmf.Solver.MU_FROBENIUS;
            case "kl" -> Nmf.Solver.MU_KL;
            case "hals", "cd" -> Nmf.Solver.HALS;
            default -> throw new UserException("--solver must be mu, kl or hals, not " + solver);
        };
        Nmf.Init i = switch (init) {
            case "nndsvd" -> Nmf.Init.NNDSVD;
            case "nndsvda" -> Nmf.Init.NNDSVDA;
            case "random" -> Nmf.Init.RANDOM;
            default -> throw new UserException("--init must be nndsvd, nndsvda or random, not " + init);
        };
        if (tolerance < 0) throw new UserException("--tolerance must be >= 0");
        try (MatrixStore store = MatrixStore.open(input);
             Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("factorize nmf", "iterations")) {
            FactorizeContext ctx = new FactorizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            if (ranks != null) {
                List<org.omx.engine.factorize.NmfRankSurvey.Row> rows = org.omx.engine.factorize.NmfRankSurvey.survey(new StoreRows(store),
                        parseRanks(ranks), surveyRuns, new Nmf.Options(rank, s, i, iterations, tolerance, 1, seed), ctx);
                java.nio.file.Files.createDirectories(output);
                org.omx.engine.factorize.NmfRankSurvey.write(output.resolve("rank-survey.tsv"), rows);
                for (var row : rows)
                    System.out.println(String.format(Locale.ROOT, "rank %d: reconstruction error %.6g (best of %d), cophenetic correlation %.4f",
                            row.rank(), row.bestError(), row.runs(), row.cophenetic()));
            }
            Nmf.Result r = Nmf.fit(new StoreRows(store), new Nmf.Options(rank, s, i, iterations, tolerance, restarts, seed), ctx);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("command", "factorize nmf");
            params.put("input", input.toString());
            params.put("rank", rank);
            params.put("solver", solver);
            params.put("init", init);
            params.put("max_iterations", iterations);
            params.put("tolerance", tolerance);
            params.put("restarts", restarts);
            params.put("backend", backend.name());
            FactorizeOutput.writeNmf(output, r, params);
            System.out.println(String.format(Locale.ROOT, "wrote %s: %d factors, %d iterations, %d passes, objective %.6g (reconstruction error %.6g)%s",
                    output, rank, r.iterations(), r.passes(), r.objective(), r.reconstructionError(),
                    tolerance > 0 && !r.converged() ? ", not converged to --tolerance" : ""));
            if (traits != null) {
                int n = r.colIds().size();
                double[][] sc = new double[rank][n];
                for (int j = 0; j < rank; j++) System.arraycopy(r.h(), j * n, sc[j], 0, n);
                System.out.println(FactorizeOutput.writeTraits(output, traits, r.colIds(), "F", sc, common::log));
            }
        }
        return 0;
    }
}
