package org.omx.engine.cohort;

import org.omx.engine.normalize.InvalidStepException;
import org.omx.engine.normalize.NormalizationCatalog;
import org.omx.engine.normalize.Normalization;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.io.InputFormatException;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.cohort.CohortManifest.Layer;
import org.omx.io.cohort.CohortManifest.RecipeStep;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs each layer's normalization recipe from a cohort manifest: the steps in order, each reading
 * the previous step's store and writing the next ({@code OUT/LAYER.omx} at the end, intermediate
 * stores beside it, deleted once used), so the final store's provenance lists every step with its
 * parameters. Writes {@code OUT/cohort.yaml} with the normalized layers pointing at their new
 * stores (recipes consumed) and the other layers and tables as they were.
 *
 * <p>Every step of every selected layer is built before anything runs, so a misspelt method or
 * parameter in the last layer fails at once, naming the manifest, the layer and the step. In a
 * recipe, relative {@code sample-table} and {@code weights} paths are relative to the manifest's
 * directory, and {@code sample-table} defaults to the cohort's covariates table.
 */
public final class CohortNormalize {

    /** What happened to one layer: its final store and the number of steps run (0: left as it was). */
    public record Outcome(String layer, Path store, int steps, String units) {
    }

    private record Planned(RecipeStep step, Normalization method) {
    }

    private CohortNormalize() {
    }

    /**
     * @param manifestFile where {@code m} was read from (named in errors, anchors relative paths)
     * @param only         layer names to normalize; empty for every layer that has a recipe
     */
    public static List<Outcome> run(Path manifestFile, CohortManifest m, Path outDir, Set<String> only, boolean overwrite,
                                    NormalizeContext ctx) throws IOException, InputFormatException {
        for (String name : only)
            if (m.layer(name).isEmpty()) throw new InputFormatException(manifestFile, "no layer named '" + name + "' (have: "
                    + String.join(", ", m.layers().stream().map(Layer::name).toList()) + ")");
        List<Layer> selected = m.layers().stream()
                .filter(l -> only.isEmpty() ? !l.normalize().isEmpty() : only.contains(l.name())).toList();
        if (selected.stream().allMatch(l -> l.normalize().isEmpty()))
            throw new InputFormatException(manifestFile, "no layer " + (only.isEmpty() ? "" : "among " + only + " ")
                    + "has a normalization recipe (a 'normalize' list of steps, e.g. [{filter: low-counts}, {method: logcpm}])");
        Files.createDirectories(outDir);
        Path dir = manifestFile.toAbsolutePath().normalize().getParent();
        Map<String, List<Planned>> plans = new LinkedHashMap<>();
        for (Layer l : selected) plans.put(l.name(), plan(manifestFile, dir, m, l, outDir));

        List<Outcome> outcomes = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        for (Layer l : m.layers()) {
            List<Planned> plan = plans.get(l.name());
            if (plan == null || plan.isEmpty()) {
                layers.add(l);
                outcomes.add(new Outcome(l.name(), l.path(), 0, l.units()));
                continue;
            }
            Path result = outDir.resolve(l.name() + ".omx");
            StoreMeta meta = runLayer(manifestFile, l, plan, result, overwrite, ctx);
            layers.add(l.relocated(result, CohortManifest.Format.OMX, meta.units(), List.of()));
            outcomes.add(new Outcome(l.name(), result, plan.size(), meta.units()));
        }
        new CohortManifest(m.cohort(), m.seed(), layers, m.tables()).write(outDir.resolve("cohort.yaml"), overwrite);
        return outcomes;
    }

    /** Builds every step of one layer, or says which one is wrong. */
    private static List<Planned> plan(Path manifestFile, Path dir, CohortManifest m, Layer l, Path outDir)
            throws IOException, InputFormatException {
        if (l.normalize().isEmpty()) return List.of();
        if (l.format() != CohortManifest.Format.OMX)
            throw new InputFormatException(manifestFile, "layer '" + l.name() + "' is a " + l.format().id()
                    + " file; normalization recipes run on omx stores (omx cohort align or omx import first)");
        if (!Files.isDirectory(l.path()))
            throw new InputFormatException(manifestFile, "layer '" + l.name() + "': no store at " + l.path());
        List<String> samples;
        try (MatrixStore s = MatrixStore.open(l.path())) {
            samples = s.sampleIds();
        }
        NormalizationCatalog.Inputs inputs = new NormalizationCatalog.Inputs(samples, m.tables().covariates());
        List<Planned> plan = new ArrayList<>();
        for (RecipeStep st : l.normalize()) {
            Map<String, String> p = new LinkedHashMap<>(st.parameters());
            for (String pathParam : List.of("sample-table", "weights"))
                if (p.containsKey(pathParam)) p.put(pathParam, dir.resolve(p.get(pathParam)).normalize().toString());
            if (st.method().equals("voom") && !p.containsKey("weights"))
                p.put("weights", outDir.resolve(l.name() + ".weights.omx").toString());
            try {
                plan.add(new Planned(st, NormalizationCatalog.create(st.method(), p, inputs)));
            } catch (InvalidStepException e) {
                String field = st.where() + (e.parameter() == null ? "" : "." + e.parameter());
                throw new InputFormatException(manifestFile, "layer '" + l.name() + "', " + field + ": " + e.getMessage());
            } catch (InputFormatException e) {
                throw new InputFormatException(e.file(), "layer '" + l.name() + "', " + st.where() + " (" + st.method()
                        + ", recipe in " + manifestFile + "): " + stripFile(e));
            }
        }
        return plan;
    }

    private static StoreMeta runLayer(Path manifestFile, Layer l, List<Planned> plan, Path result, boolean overwrite,
                                      NormalizeContext ctx) throws IOException, InputFormatException {
        if (result.toAbsolutePath().normalize().equals(l.path().toAbsolutePath().normalize()))
            throw new InputFormatException(manifestFile, "layer '" + l.name() + "': the output " + result
                    + " would replace the layer's own store; choose another output directory");
        if (Files.exists(result) && !overwrite)
            throw new java.nio.file.FileAlreadyExistsException(result + " exists (use --force to replace it)");
        Path in = l.path();
        StoreMeta meta = null;
        for (int k = 0; k < plan.size(); k++) {
            Planned p = plan.get(k);
            boolean last = k == plan.size() - 1;
            Path out = last ? result : result.resolveSibling(l.name() + ".step" + (k + 1) + "-" + p.step().method() + ".omx");
            ctx.log().accept("layer " + l.name() + ", step " + (k + 1) + "/" + plan.size() + ": " + p.method().name()
                    + (p.method().parameters().isEmpty() ? "" : " " + p.method().parameters()));
            try (MatrixStore s = MatrixStore.open(in)) {
                meta = p.method().apply(s, out, true, ctx);
            } catch (InputFormatException e) {
                throw new InputFormatException(e.file(), "layer '" + l.name() + "', " + p.step().where() + " (" + p.step().method()
                        + ", recipe in " + manifestFile + "): " + stripFile(e));
            } finally {
                if (k > 0) deleteIntermediate(in, ctx);
            }
            in = out;
        }
        return meta;
    }

    private static void deleteIntermediate(Path store, NormalizeContext ctx) {
        try {
            if (!Files.isDirectory(store)) return;
            try (var files = Files.list(store)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(store);
        } catch (IOException e) {
            ctx.log().accept("could not delete intermediate store " + store + ": " + e.getMessage());
        }
    }

    /** The message without its leading "FILE: " (the file is kept in the new exception). */
    private static String stripFile(InputFormatException e) {
        String msg = e.getMessage();
        String prefix = e.file() + ": ";
        return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
    }
}
