package org.omx.engine.cli;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.FactorizeOutput;
import org.omx.engine.factorize.Mfa;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code omx factorize mfa STORE... -k K -o DIR}: Multiple Factor Analysis across omics layers. */
@Command(name = "mfa", mixinStandardHelpOptions = true,
        description = "Multiple Factor Analysis across layers (stores, or a manifest listing them): samples matched by ID, each layer "
                + "centered (--scale: and scaled) and weighted by 1/sigma1^2 of its own block, then a global PCA. Writes scores.tsv, "
                + "loadings.tsv, variance.tsv (variance explained per factor per layer) and params.json.")
public final class FactorizeMfaCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "STORE_OR_MANIFEST",
            description = "Layer stores (NAME.omx; the layer is named NAME), one cohort manifest (cohort.yaml / .json: its omx-store layers, "
                    + "e.g. the normalized cohort `omx cohort normalize` writes), or one text manifest with a line per layer: 'name<TAB>path' or 'path'.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Directory for the result files.")
    Path output;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Factors (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--scale", description = "Scale every feature to unit variance before weighting.")
    boolean scale;

    @Option(names = "--oversample", paramLabel = "P", defaultValue = "10", description = "Oversampling (default: ${DEFAULT-VALUE}).")
    int oversample;

    @Option(names = "--power-iterations", paramLabel = "Q", defaultValue = "4", description = "Power iterations (default: ${DEFAULT-VALUE}).")
    int powerIterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--traits", paramLabel = "TSV", description = "Phenotypes/covariates with a sample_id column: writes factor-traits.tsv.")
    Path traits;

    @Mixin
    CommonOptions common;

    static List<String[]> layers(List<Path> inputs) throws java.io.IOException, org.omx.io.InputFormatException {
        List<String[]> out = new ArrayList<>();
        if (inputs.size() == 1 && isCohortManifest(inputs.getFirst())) return cohortLayers(inputs.getFirst());
        if (inputs.size() == 1 && Files.isRegularFile(inputs.getFirst()) && !inputs.getFirst().toString().endsWith(".omx")) {
            Path base = inputs.getFirst().toAbsolutePath().getParent();
            for (String line : Files.readAllLines(inputs.getFirst())) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] f = l.split("\t");
                Path p = base.resolve(f[f.length - 1]);
                out.add(new String[]{f.length > 1 ? f[0] : layerName(p), p.toString()});
            }
        } else for (Path p : inputs) out.add(new String[]{layerName(p), p.toString()});
        if (out.isEmpty()) throw new UserException("no layers given");
        return out;
    }

    private static boolean isCohortManifest(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }

    /**
     * The manifest's layers held as omx stores, by their manifest names; other formats (a PLINK
     * fileset, delimited text) are left out with a note on stderr: MFA reads stores, and a cohort's raw
     * layers want normalizing first, which {@code omx cohort normalize} does into stores.
     */
    private static List<String[]> cohortLayers(Path file) throws java.io.IOException, org.omx.io.InputFormatException {
        org.omx.io.cohort.CohortManifest m = org.omx.io.cohort.CohortManifest.read(file);
        List<String[]> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (org.omx.io.cohort.CohortManifest.Layer l : m.layers()) {
            if (l.format() == org.omx.io.cohort.CohortManifest.Format.OMX) out.add(new String[]{l.name(), l.path().toString()});
            else skipped.add(l.name() + " (" + l.format().name().toLowerCase(Locale.ROOT) + ")");
        }
        if (!skipped.isEmpty())
            System.err.println("factorize mfa: " + file + ": layers not held as omx stores are left out: " + String.join(", ", skipped));
        if (out.size() < 2)
            throw new UserException(file + ": MFA needs at least two layers held as omx stores; the manifest has " + out.size()
                    + (skipped.isEmpty() ? "" : " (convert or normalize the others into stores first, e.g. omx cohort normalize)"));
        return out;
    }

    private static String layerName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".omx") ? n.substring(0, n.length() - 4) : n;
    }

    @Override
    public Integer call() throws Exception {
        List<String[]> spec = layers(inputs);
        List<MatrixStore> open = new ArrayList<>();
        try (Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("factorize mfa", "rows")) {
            List<Mfa.Layer> layers = new ArrayList<>();
            for (String[] s : spec) {
                MatrixStore st = MatrixStore.open(Path.of(s[1]));
                open.add(st);
                layers.add(new Mfa.Layer(s[0], st));
            }
            FactorizeContext ctx = new FactorizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            Mfa.Result r = Mfa.fit(layers, new Mfa.Options(rank, scale, oversample, powerIterations, seed), ctx);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("command", "factorize mfa");
            params.put("inputs", spec.stream().map(s -> s[0] + "=" + s[1]).toList());
            params.put("rank", rank);
            params.put("scale", scale);
            params.put("weights", "1 / sigma1^2 of each centered" + (scale ? ", scaled" : "") + " layer block");
            params.put("seed", seed);
            params.put("backend", backend.name());
            FactorizeOutput.writeMfa(output, r, params);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < Math.min(3, rank); j++) {
                b.append(j == 0 ? "" : ";").append(" F").append(j + 1).append(':');
                for (int l = 0; l < layers.size(); l++)
                    b.append(String.format(Locale.ROOT, " %s %.1f%%", r.layerNames().get(l), 100 * r.varianceExplained()[j][l]));
            }
            System.out.println("wrote " + output + ": " + rank + " factors over " + layers.size() + " layers, "
                    + r.sampleIds().size() + " samples in common; variance explained" + b);
            if (traits != null) {
                double[][] sc = new double[rank][r.sampleIds().size()];
                for (int j = 0; j < rank; j++) for (int i = 0; i < sc[j].length; i++) sc[j][i] = r.score(i, j);
                System.out.println(FactorizeOutput.writeTraits(output, traits, r.sampleIds(), "F", sc, common::log));
            }
        } finally {
            for (MatrixStore s : open) s.close();
        }
        return 0;
    }
}
