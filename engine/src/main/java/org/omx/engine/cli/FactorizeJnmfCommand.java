package org.omx.engine.cli;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.FactorizeOutput;
import org.omx.engine.factorize.JointNmf;
import org.omx.engine.factorize.JointNmfData;
import org.omx.engine.factorize.JointNmfVariance;
import org.omx.engine.factorize.Mfa;
import org.omx.io.store.MatrixStore;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx factorize jnmf STORE... -k K -o DIR}: joint NMF with sample factors shared across layers. */
@Command(name = "jnmf", mixinStandardHelpOptions = true,
        description = "Joint NMF across layers (stores, or a manifest listing them): X_l ~ W_l H with one shared sample-factor matrix H, "
                + "samples matched by ID, each layer weighted by 1/||X_l||_F^2 (--layer-weight), multiplicative updates, NNDSVDa or random "
                + "init, seeded restarts. Held in memory in double (checked against --memory); runs on the JVM whatever --backend says. Writes "
                + "scores.tsv (H), loadings.tsv (W per layer), variance.tsv (R^2 per factor per layer) and params.json.")
public final class FactorizeJnmfCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "STORE_OR_MANIFEST",
            description = "Layer stores (NAME.omx; the layer is named NAME), or one text manifest with a line per layer: 'name<TAB>path' or 'path'.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for the result files.")
    Path output;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Factors (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200", description = "Maximum iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-4",
            description = "Stop when the objective's relative decrease in one iteration is below this; 0: run all iterations (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--restarts", paramLabel = "N", defaultValue = "1", description = "Random starts with seeds seed, seed+1, ...; the best objective is kept (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layer-weight", paramLabel = "frobenius|none", defaultValue = "frobenius",
            description = "frobenius: weight each layer's loss by 1/||X_l||_F^2 so no layer dominates by size or units; none: plain sum (default: ${DEFAULT-VALUE}).")
    String layerWeight;

    @Option(names = "--init", paramLabel = "nndsvda|random", defaultValue = "nndsvda",
            description = "Start of the first run, on the stacked weighted layers; further restarts are random (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--traits", paramLabel = "TSV", description = "Phenotypes/covariates with a sample_id column: writes factor-traits.tsv.")
    Path traits;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        JointNmf.LayerWeight weight = switch (layerWeight) {
            case "frobenius" -> JointNmf.LayerWeight.FROBENIUS;
            case "none" -> JointNmf.LayerWeight.NONE;
            default -> throw new UserException("--layer-weight must be frobenius or none, not " + layerWeight);
        };
        JointNmf.Init start = switch (init) {
            case "nndsvda" -> JointNmf.Init.NNDSVDA;
            case "random" -> JointNmf.Init.RANDOM;
            default -> throw new UserException("--init must be nndsvda or random, not " + init);
        };
        JointNmf.Options options = new JointNmf.Options(rank, iterations, tolerance, restarts, seed, weight, start);
        List<String[]> spec = FactorizeMfaCommand.layers(inputs);
        List<MatrixStore> open = new ArrayList<>();
        try (Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("factorize jnmf", "iterations")) {
            List<Mfa.Layer> layers = new ArrayList<>();
            for (String[] s : spec) {
                MatrixStore st = MatrixStore.open(Path.of(s[1]));
                open.add(st);
                layers.add(new Mfa.Layer(s[0], st));
            }
            FactorizeContext ctx = new FactorizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            JointNmfData data = JointNmfData.load(layers, common.memoryBytes());
            JointNmf.Result r = JointNmf.fit(data, options, ctx);
            JointNmfVariance ve = JointNmfVariance.of(data, r);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("command", "factorize jnmf");
            params.put("inputs", spec.stream().map(s -> s[0] + "=" + s[1]).toList());
            params.put("rank", rank);
            params.put("layer_weight", layerWeight);
            params.put("init", init + " on the stacked weighted layers (restarts after the first: random)");
            params.put("max_iterations", iterations);
            params.put("tolerance", tolerance);
            params.put("restarts", restarts);
            params.put("variance_explained", "R^2 = 1 - ||X_l - w_la h_a||^2 / ||X_l||^2 per factor, uncentered; 'all' row: all factors");
            FactorizeOutput.writeJointNmf(output, data, r, ve, params);
            StringBuilder b = new StringBuilder();
            for (int l = 0; l < data.layers(); l++)
                b.append(l == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%s %.1f%%", data.layerNames().get(l), 100 * ve.total()[l]));
            System.out.println(String.format(Locale.ROOT, "wrote %s: %d factors over %d layers, %d samples in common, %d iterations%s, objective %.6g;"
                            + " R^2 per layer%s", output, rank, data.layers(), data.samples(), r.iterations(),
                    tolerance > 0 && !r.converged() ? " (not converged to --tolerance)" : "", r.objective(), b));
            if (traits != null) {
                int n = data.samples();
                double[][] sc = new double[rank][n];
                for (int j = 0; j < rank; j++) System.arraycopy(r.h(), j * n, sc[j], 0, n);
                System.out.println(FactorizeOutput.writeTraits(output, traits, data.sampleIds(), "F", sc, common::log));
            }
        } finally {
            for (MatrixStore s : open) s.close();
        }
        return 0;
    }
}
