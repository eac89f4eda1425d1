package org.omx.engine.normalize;

import org.omx.io.InputFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The methods {@code omx normalize} knows, the parameters each takes with their defaults, and how
 * a method name plus parameters (text, as on the command line or in a manifest recipe) becomes a
 * {@link Normalization}. One place for both front ends, so that a recipe step
 * {@code {method: logcpm, prior-count: 1}} and {@code --method logcpm --prior-count 1} build the
 * same thing and are checked the same way.
 */
public final class NormalizationCatalog {

    /** What a step may need besides its parameters. */
    public record Inputs(List<String> sampleIds, Path defaultSampleTable) {
    }

    private static final Map<String, Map<String, String>> PARAMETERS = new LinkedHashMap<>();

    private static void method(String name, String... keyDefaults) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < keyDefaults.length; i += 2) p.put(keyDefaults[i], keyDefaults[i + 1]);
        PARAMETERS.put(name, p);
    }

    static {
        method("cpm", "norm-factors", "tmm");
        method("logcpm", "norm-factors", "tmm", "prior-count", "2");
        method("voom", "norm-factors", "tmm", "group", null, "sample-table", null, "weights", null);
        method("median-of-ratios");
        method("vst");
        method("log2", "pseudocount", "1");
        method("quantile");
        method("median-center");
        method("zscore");
        method("pqn");
        method("autoscale");
        method("pareto");
        method("half-minimum");
        method("knn", "k", "10");
        method("tss", "scale", "1");
        method("clr", "pseudocount", "1");
        method("standardize-dosage");
        method("combat", "sample-table", null, "batch", "batch", "covariate", null, "ref-batch", null,
                "par-prior", "true", "mean-only", "false");
        method("filter-low-counts", "min-count", "10", "min-samples", "3");
        method("filter-variance", "min-variance", "0");
        method("filter-top-variance", "top", "5000");
        method("filter-prevalence", "detection", "0", "min-prevalence", "0.1");
        method("filter-abundance", "min-abundance", "1e-4");
    }

    private NormalizationCatalog() {
    }

    /** Every method name, in the order of the help text. */
    public static List<String> methods() {
        return List.copyOf(PARAMETERS.keySet());
    }

    /** The parameters {@code method} takes and their defaults (null: no default). */
    public static Map<String, String> parameters(String method) {
        Map<String, String> p = PARAMETERS.get(method);
        if (p == null) throw new IllegalArgumentException("unknown method " + method);
        return java.util.Collections.unmodifiableMap(p);
    }

    /**
     * Builds {@code method} with {@code given} parameters (others take their defaults).
     *
     * @throws InvalidStepException for an unknown method or parameter, or a bad value
     * @throws InputFormatException when a sample table it reads is malformed or lacks a sample
     */
    public static Normalization create(String method, Map<String, String> given, Inputs inputs)
            throws InvalidStepException, InputFormatException, IOException {
        Map<String, String> spec = PARAMETERS.get(method);
        if (spec == null)
            throw new InvalidStepException(null, "unknown method '" + method + "' (have: " + String.join(", ", methods()) + ")");
        for (String k : given.keySet())
            if (!spec.containsKey(k))
                throw new InvalidStepException(k, "method " + method + " takes no parameter '" + k + "' ("
                        + (spec.isEmpty() ? "it takes none" : "it takes: " + String.join(", ", spec.keySet())) + ")");
        Params p = new Params(method, spec, given);
        return switch (method) {
            case "cpm" -> new Cpm(p.normFactors());
            case "logcpm" -> new LogCpm(p.normFactors(), p.positive("prior-count"));
            case "voom" -> voom(p, inputs);
            case "median-of-ratios" -> new MedianOfRatios();
            case "vst" -> new Vst();
            case "log2" -> new Log2(p.nonNegative("pseudocount"));
            case "quantile" -> new QuantileNormalization();
            case "median-center" -> new MedianCentering();
            case "zscore" -> new ZScore();
            case "pqn" -> new Pqn();
            case "autoscale" -> new AutoScaling();
            case "pareto" -> new ParetoScaling();
            case "half-minimum" -> new HalfMinimumImputation();
            case "knn" -> new KnnImputation(p.atLeastOne("k"));
            case "tss" -> new TotalSumScaling(p.positive("scale"));
            case "clr" -> new Clr(p.nonNegative("pseudocount"));
            case "standardize-dosage" -> new StandardizedDosage();
            case "combat" -> combat(p, inputs);
            case "filter-low-counts" -> new LowCountFilter(p.nonNegative("min-count"), p.atLeastOne("min-samples"));
            case "filter-variance" -> new VarianceFilter(p.nonNegative("min-variance"));
            case "filter-top-variance" -> new TopVariance(p.atLeastOne("top"));
            case "filter-prevalence" -> new PrevalenceFilter(p.nonNegative("detection"), p.fraction("min-prevalence"));
            case "filter-abundance" -> new AbundanceFilter(p.fraction("min-abundance"));
            default -> throw new IllegalStateException("catalog lists " + method + " without building it");
        };
    }

    private static Normalization voom(Params p, Inputs in) throws InvalidStepException, InputFormatException, IOException {
        Path weights = p.text("weights") == null ? null : Path.of(p.text("weights"));
        String group = p.text("group");
        if (group == null) return new Voom(p.normFactors(), null, null, weights);
        SampleTable t = SampleTable.read(p.sampleTable(in, "group"));
        return new Voom(p.normFactors(), t.column(group, in.sampleIds()), group, weights);
    }

    private static Normalization combat(Params p, Inputs in) throws InvalidStepException, InputFormatException, IOException {
        SampleTable t = SampleTable.read(p.sampleTable(in, "a batch column"));
        Map<String, List<String>> cov = new LinkedHashMap<>();
        for (String c : p.list("covariate")) cov.put(c, t.column(c, in.sampleIds()));
        List<String> batch = t.column(p.text("batch"), in.sampleIds());
        String ref = p.text("ref-batch");
        if (ref != null && !batch.contains(ref))
            throw new InvalidStepException("ref-batch", "batch '" + ref + "' is not a value of column '" + p.text("batch")
                    + "' (have: " + String.join(", ", new TreeSet<>(batch)) + ")");
        return new ComBat(batch, cov, new ComBat.Options(p.bool("par-prior"), p.bool("mean-only"), ref));
    }

    /** Parameter values with their defaults, read with the checks each kind of value needs. */
    private record Params(String method, Map<String, String> spec, Map<String, String> given) {

        String text(String key) {
            String v = given.containsKey(key) ? given.get(key) : spec.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        List<String> list(String key) {
            String v = text(key);
            if (v == null) return List.of();
            List<String> out = new ArrayList<>();
            for (String s : v.split(",")) if (!s.isBlank()) out.add(s.trim());
            return out;
        }

        double number(String key) throws InvalidStepException {
            String v = text(key);
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException | NullPointerException e) {
                // reported below
            }
            throw new InvalidStepException(key, method + ": '" + key + "' must be a number, not '" + v + "'");
        }

        double positive(String key) throws InvalidStepException {
            double d = number(key);
            if (!(d > 0)) throw new InvalidStepException(key, method + ": '" + key + "' must be positive, not " + text(key));
            return d;
        }

        double nonNegative(String key) throws InvalidStepException {
            double d = number(key);
            if (d < 0) throw new InvalidStepException(key, method + ": '" + key + "' must be >= 0, not " + text(key));
            return d;
        }

        double fraction(String key) throws InvalidStepException {
            double d = number(key);
            if (d < 0 || d > 1) throw new InvalidStepException(key, method + ": '" + key + "' must be a fraction in [0, 1], not " + text(key));
            return d;
        }

        int atLeastOne(String key) throws InvalidStepException {
            String v = text(key);
            try {
                int i = Integer.parseInt(v);
                if (i >= 1) return i;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidStepException(key, method + ": '" + key + "' must be a whole number >= 1, not '" + v + "'");
        }

        boolean bool(String key) throws InvalidStepException {
            String v = text(key);
            String s = v == null ? "" : v.toLowerCase(Locale.ROOT);
            if (Set.of("true", "yes").contains(s)) return true;
            if (Set.of("false", "no").contains(s)) return false;
            throw new InvalidStepException(key, method + ": '" + key + "' must be true or false, not '" + v + "'");
        }

        boolean normFactors() throws InvalidStepException {
            String v = text("norm-factors");
            if ("tmm".equals(v)) return true;
            if ("none".equals(v)) return false;
            throw new InvalidStepException("norm-factors", method + ": 'norm-factors' must be tmm or none, not '" + v + "'");
        }

        Path sampleTable(Inputs in, String needs) throws InvalidStepException {
            String v = text("sample-table");
            if (v != null) return Path.of(v);
            if (in.defaultSampleTable() != null) return in.defaultSampleTable();
            throw new InvalidStepException("sample-table", method + " needs a sample table with " + needs
                    + " (sample-table; in a manifest recipe the cohort's covariates table is the default)");
        }
    }

    /** Method names joined for help texts. */
    public static String methodList() {
        return String.join(", ", Arrays.asList(PARAMETERS.keySet().toArray(String[]::new)));
    }
}
