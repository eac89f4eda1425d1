package org.omx.engine.factorize;

import org.omx.engine.traits.TraitTable;
import org.omx.io.PendingFile;
import org.omx.io.json.JsonOut;


import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes factorization results as TSV beside a {@code params.json} with the parameters and the
 * convergence trace: {@code scores.tsv} (samples x k), {@code loadings.tsv} (features x k, with the
 * centering and scaling needed to project new samples), {@code variance.tsv}.
 */
public final class FactorizeOutput {


    private FactorizeOutput() {
    }

    /** PCA / SVD outputs. {@code alleles} gives "A1\tA2" per feature for genotypes, null otherwise. */
    public static void writeSvd(Path dir, SvdResult r, double eigenDivisor, IntFunction<String> alleles, Map<String, Object> params)
            throws IOException {
        Files.createDirectories(dir);
        int k = r.rank();
        String pcs = header("PC", k);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("scores.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample_id\t" + pcs + "\n");
            for (int i = 0; i < r.colIds().size(); i++) {
                StringBuilder b = new StringBuilder(r.colIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.score(i, j));
                w.write(b.append('\n').toString());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("eigenvectors.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample_id\t" + pcs + "\n");
            for (int i = 0; i < r.colIds().size(); i++) {
                StringBuilder b = new StringBuilder(r.colIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.v()[j][i]);
                w.write(b.append('\n').toString());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("loadings.tsv"), StandardCharsets.UTF_8)) {
            w.write("feature_id\tallele1\tallele2\tcenter\tscale\t" + pcs + "\n");
            for (int i = 0; i < r.rowIds().size(); i++) {
                StringBuilder b = new StringBuilder(r.rowIds().get(i)).append('\t')
                        .append(alleles == null ? ".\t." : alleles.apply(i)).append('\t')
                        .append(r.center()[i]).append('\t').append(r.scale()[i]);
                for (int j = 0; j < k; j++) b.append('\t').append(r.u()[j][i]);
                w.write(b.append('\n').toString());
            }
        }
        double[] ev = r.eigenvalues(eigenDivisor);
        double[] p = r.proportionExplained();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("variance.tsv"), StandardCharsets.UTF_8)) {
            w.write("component\tsingular_value\teigenvalue\tproportion_explained\tcumulative\n");
            double c = 0;
            for (int j = 0; j < k; j++) {
                c += p[j];
                w.write("PC" + (j + 1) + "\t" + r.sigma()[j] + "\t" + ev[j] + "\t" + p[j] + "\t" + c + "\n");
            }
        }
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("passes", r.passes());
        all.put("eigenvalue_divisor", eigenDivisor);
        all.put("total_sum_of_squares", r.totalSumSquares());
        List<Map<String, Object>> trace = new ArrayList<>();
        for (SvdResult.PassTrace t : r.trace()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("pass", t.pass());
            e.put("step", t.step());
            e.put("singular_value_estimates", t.sigmaEstimate());
            e.put("max_relative_change", Double.isNaN(t.maxRelativeChange()) ? null : t.maxRelativeChange());
            e.put("seconds", t.seconds());
            trace.add(e);
        }
        all.put("convergence", trace);
        PendingFile.writeText(dir.resolve("params.json"), true, w -> JsonOut.write(w, all));
    }

    /** NMF outputs: W as loadings.tsv (features x k), H as scores.tsv (samples x k), the objective trace. */
    public static void writeNmf(Path dir, Nmf.Result r, Map<String, Object> params) throws IOException {
        Files.createDirectories(dir);
        int k = r.rank();
        int n = r.colIds().size();
        String fs = header("F", k);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("scores.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample_id\t" + fs + "\n");
            for (int i = 0; i < n; i++) {
                StringBuilder b = new StringBuilder(r.colIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.h()[j * n + i]);
                w.write(b.append('\n').toString());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("loadings.tsv"), StandardCharsets.UTF_8)) {
            w.write("feature_id\t" + fs + "\n");
            for (int i = 0; i < r.rowIds().size(); i++) {
                StringBuilder b = new StringBuilder(r.rowIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.w()[i * k + j]);
                w.write(b.append('\n').toString());
            }
        }
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("objective", r.objective());
        all.put("reconstruction_error", r.reconstructionError());
        all.put("iterations", r.iterations());
        all.put("passes", r.passes());
        all.put("converged", r.converged());
        all.put("seed", r.seed());
        all.put("objective_trace", r.trace());
        PendingFile.writeText(dir.resolve("params.json"), true, w -> JsonOut.write(w, all));
    }

    /**
     * {@code --traits}: correlations of the factor scores ({@code scores[factor][sample]}, named
     * prefix1..prefixK) with the numeric columns of the traits TSV, written as factor-traits.tsv.
     * Returns a one-line summary (tests done, the smallest q-value).
     */
    public static String writeTraits(Path dir, Path traitsTsv, List<String> sampleIds, String prefix, double[][] scores,
                                     java.util.function.Consumer<String> log) throws IOException {
        TraitTable t = TraitTable.read(traitsTsv, sampleIds);
        if (!t.skipped().isEmpty()) log.accept("--traits: skipped non-numeric columns " + String.join(", ", t.skipped()));
        long matched = t.matchedSamples();
        if (matched < 3) throw new FactorizeInputException("--traits " + traitsTsv + ": only " + matched + " of the "
                + sampleIds.size() + " samples have a row (matched on sample_id)");
        List<String> names = new java.util.ArrayList<>();
        for (int j = 0; j < scores.length; j++) names.add(prefix + (j + 1));
        List<FactorTraits.Row> rows = FactorTraits.correlate(sampleIds, names, scores, t);
        Files.createDirectories(dir);
        FactorTraits.write(dir.resolve("factor-traits.tsv"), rows);
        FactorTraits.Row best = rows.stream().filter(r -> !Double.isNaN(r.q())).min(java.util.Comparator.comparingDouble(FactorTraits.Row::q)).orElse(null);
        return String.format(java.util.Locale.ROOT, "factor-traits.tsv: %d factors x %d traits over %d samples%s", scores.length, t.names().size(), matched,
                best == null ? "" : String.format(java.util.Locale.ROOT, "; strongest %s ~ %s r=%.3f q=%.3g", best.factor(), best.trait(), best.r(), best.q()));
    }

    /** MFA: scores.tsv, loadings.tsv (layer, feature, factors), variance.tsv (factor x layer R^2, MOFA style), params.json. */
    public static void writeMfa(Path dir, Mfa.Result r, Map<String, Object> params) throws IOException {
        Files.createDirectories(dir);
        SvdResult g = r.global();
        int k = g.rank();
        String fs = header("F", k);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("scores.tsv"), StandardCharsets.UTF_8)) {
            w.write("sample_id\t" + fs + "\n");
            for (int i = 0; i < r.sampleIds().size(); i++) {
                StringBuilder b = new StringBuilder(r.sampleIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.score(i, j));
                w.write(b.append('\n').toString());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("loadings.tsv"), StandardCharsets.UTF_8)) {
            w.write("layer\tfeature_id\t" + fs + "\n");
            for (int l = 0; l < r.layerNames().size(); l++)
                for (int i = r.layerOffsets()[l]; i < r.layerOffsets()[l + 1]; i++) {
                    String id = g.rowIds().get(i);
                    StringBuilder b = new StringBuilder(r.layerNames().get(l)).append('\t').append(id.substring(id.indexOf(':') + 1));
                    for (int j = 0; j < k; j++) b.append('\t').append(g.u()[j][i]);
                    w.write(b.append('\n').toString());
                }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("variance.tsv"), StandardCharsets.UTF_8)) {
            w.write("factor\t" + String.join("\t", r.layerNames()) + "\ttotal_weighted\n");
            for (int j = 0; j < k; j++) {
                StringBuilder b = new StringBuilder("F" + (j + 1));
                for (int l = 0; l < r.layerNames().size(); l++) b.append('\t').append(r.varianceExplained()[j][l]);
                b.append('\t').append(g.proportionExplained()[j]);
                w.write(b.append('\n').toString());
            }
        }
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("layers", r.layerNames());
        all.put("layer_sigma1", r.firstSingular());
        all.put("samples_in_common", r.sampleIds().size());
        all.put("sigma", g.sigma());
        all.put("passes_global", g.passes());
        PendingFile.writeText(dir.resolve("params.json"), true, w -> JsonOut.write(w, all));
    }

    /**
     * Joint NMF: scores.tsv (H: samples x k), loadings.tsv (layer, feature, W_l in the layer's units),
     * variance.tsv (R^2 per factor per layer and all factors per layer, see {@link JointNmfVariance}),
     * params.json with the objective trace. Each file is written under a temporary name and renamed.
     */
    public static void writeJointNmf(Path dir, JointNmfData d, JointNmf.Result r, JointNmfVariance ve, Map<String, Object> params)
            throws IOException {
        Files.createDirectories(dir);
        int k = r.rank(), n = d.samples();
        String fs = header("F", k);
        PendingFile.writeText(dir.resolve("scores.tsv"), true, w -> {
            w.write("sample_id\t" + fs + "\n");
            for (int i = 0; i < n; i++) {
                StringBuilder b = new StringBuilder(d.sampleIds().get(i));
                for (int j = 0; j < k; j++) b.append('\t').append(r.h()[j * n + i]);
                w.write(b.append('\n').toString());
            }
        });
        PendingFile.writeText(dir.resolve("loadings.tsv"), true, w -> {
            w.write("layer\tfeature_id\t" + fs + "\n");
            for (int l = 0; l < d.layers(); l++)
                for (int i = 0; i < d.features(l); i++) {
                    StringBuilder b = new StringBuilder(d.layerNames().get(l)).append('\t').append(d.featureIds().get(l).get(i));
                    for (int j = 0; j < k; j++) b.append('\t').append(r.w().get(l)[i * k + j]);
                    w.write(b.append('\n').toString());
                }
        });
        PendingFile.writeText(dir.resolve("variance.tsv"), true, w -> {
            w.write("factor\t" + String.join("\t", d.layerNames()) + "\n");
            for (int j = 0; j < k; j++) {
                StringBuilder b = new StringBuilder("F" + (j + 1));
                for (int l = 0; l < d.layers(); l++) b.append('\t').append(ve.perFactor()[j][l]);
                w.write(b.append('\n').toString());
            }
            StringBuilder b = new StringBuilder("all");
            for (int l = 0; l < d.layers(); l++) b.append('\t').append(ve.total()[l]);
            w.write(b.append('\n').toString());
        });
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("layers", d.layerNames());
        all.put("layer_weights", r.lambda());
        all.put("samples_in_common", n);
        all.put("objective", r.objective());
        all.put("iterations", r.iterations());
        all.put("converged", r.converged());
        all.put("seed", r.seed());
        all.put("objective_trace", r.trace());
        PendingFile.writeText(dir.resolve("params.json"), true, w -> JsonOut.write(w, all));
    }

    static String header(String prefix, int k) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < k; j++) b.append(j == 0 ? "" : "\t").append(prefix).append(j + 1);
        return b.toString();
    }
}
