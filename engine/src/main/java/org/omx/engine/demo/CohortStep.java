package org.omx.engine.demo;

import org.omx.engine.cohort.CohortAlign;
import org.omx.engine.cohort.CohortCheck;
import org.omx.engine.cohort.CohortNormalize;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.io.InputFormatException;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.cohort.CohortManifest.RecipeStep;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The demo's cohort step: the simulated cohort as it might arrive from three labs, with the
 * proteomics lab's copy of one participant's ID mistyped and the metabolomics lab missing one
 * participant, then {@code omx cohort check} (which must find both) and {@code omx cohort align}
 * (which leaves the mistyped sample out and writes every layer in one sample order).
 */
final class CohortStep {

    private CohortStep() {
    }

    /** Runs check and align on a messy copy of the transcriptome, proteome and metabolome; returns the aligned manifest. */
    static Path run(CohortManifest clean, Path dir, PrintStream out, Consumer<String> log) throws IOException, InputFormatException {
        Path messy = Files.createDirectories(dir.resolve("cohort-messy"));
        CohortManifest.Layer rna = clean.layer("transcriptome").orElseThrow();
        CohortManifest.Layer prot = clean.layer("proteome").orElseThrow();
        CohortManifest.Layer metab = clean.layer("metabolome").orElseThrow();
        List<String> ids;
        try (MatrixStore s = MatrixStore.open(prot.path())) {
            ids = s.sampleIds();
        }
        String typoed = ids.get(6);
        int zero = typoed.indexOf('0');   // the digit 0 typed as the letter O: one edit away
        String typo = zero >= 0 ? typoed.substring(0, zero) + 'O' + typoed.substring(zero + 1) : typoed.toLowerCase(Locale.ROOT);
        String dropped = ids.get(11);
        Path protCopy = copy(prot.path(), messy.resolve("proteome.omx"), typoed, typo, null);
        Path metabCopy = copy(metab.path(), messy.resolve("metabolome.omx"), null, null, dropped);
        CohortManifest m = new CohortManifest(clean.cohort() + "-messy", clean.seed(), List.of(rna,
                new CohortManifest.Layer(prot.name(), prot.omicsType(), protCopy, CohortManifest.Format.OMX, prot.units(), null),
                new CohortManifest.Layer(metab.name(), metab.omicsType(), metabCopy, CohortManifest.Format.OMX, metab.units(), null)),
                clean.tables());
        Path manifest = messy.resolve("cohort.yaml");
        m.write(manifest);
        out.println("   planted: proteome lab typed " + typoed + " as " + typo + "; metabolome lab lacks " + dropped);
        CohortCheck.Report r = CohortCheck.check(CohortManifest.read(manifest));
        for (String line : r.format().split("\n")) out.println("   | " + line);
        String typoId = typo;
        boolean typoFound = r.layers().stream().anyMatch(l -> l.suspects().stream().anyMatch(x -> x.id().equals(typoId)));
        boolean missingFound = r.layers().stream().anyMatch(l -> l.missing().contains(dropped));
        if (!typoFound || !missingFound) throw new IllegalStateException("cohort check missed the planted typo or missing sample");
        Path aligned = dir.resolve("cohort-aligned");
        var outcomes = CohortAlign.align(CohortManifest.read(manifest), r, aligned, false, true, true, log);
        try (MatrixStore s = MatrixStore.open(outcomes.get(1).path())) {
            out.printf(Locale.ROOT, "   omx cohort align --drop-mismatched: %d layers in one order of %d samples (%d written, %d referenced) -> %s%n",
                    outcomes.size(), s.cols(), outcomes.stream().filter(o -> !o.referenced()).count(),
                    outcomes.stream().filter(CohortAlign.Outcome::referenced).count(), dir.relativize(aligned.resolve("cohort.yaml")));
        }
        return aligned.resolve("cohort.yaml");
    }

    /**
     * Adds per-layer recipes to the aligned manifest (proteome: half-minimum imputation, log2,
     * ComBat on the planted lab batches protecting age and sex; metabolome: half-minimum, log2,
     * Pareto scaling), writes it as {@code cohort.recipes.yaml} and runs them as
     * {@code omx normalize --manifest} would.
     */
    static void normalizeByRecipe(Path alignedManifest, Path dir, PrintStream out, NormalizeContext ctx)
            throws IOException, InputFormatException {
        CohortManifest m = CohortManifest.read(alignedManifest);
        List<CohortManifest.Layer> layers = new ArrayList<>();
        for (CohortManifest.Layer l : m.layers()) {
            List<RecipeStep> recipe = switch (l.name()) {
                case "proteome" -> List.of(step("half-minimum", Map.of()), step("log2", Map.of()),
                        step("combat", Map.of("batch", "batch", "covariate", "age,sex")));
                case "metabolome" -> List.of(step("half-minimum", Map.of()), step("log2", Map.of()), step("pareto", Map.of()));
                default -> List.of();
            };
            layers.add(l.relocated(l.path(), l.format(), l.units(), recipe));
        }
        Path recipes = alignedManifest.resolveSibling("cohort.recipes.yaml");
        new CohortManifest(m.cohort(), m.seed(), layers, m.tables()).write(recipes);
        Path outDir = dir.resolve("normalized/cohort");
        for (CohortNormalize.Outcome o : CohortNormalize.run(recipes, CohortManifest.read(recipes), outDir, Set.of(), true, ctx)) {
            if (o.steps() == 0) continue;
            try (MatrixStore s = MatrixStore.open(o.store())) {
                for (long i = 0; i < s.rows(); i++) for (int j = 0; j < s.cols(); j++)
                    if (!Float.isFinite(s.get(i, j))) throw new IllegalStateException(o.store() + ": recipe left a missing value");
                out.printf(Locale.ROOT, "   recipe %-11s %d steps -> %s (%s)%n", o.layer(), o.steps(), dir.relativize(o.store()), o.units());
            }
        }
        out.println("   recipes: " + dir.relativize(recipes) + " (omx normalize --manifest " + dir.relativize(recipes) + " -o DIR)");
    }

    private static RecipeStep step(String method, Map<String, String> params) {
        return new RecipeStep(method, params, "demo");
    }

    /** A copy of a store with one sample renamed (from -> to) or one dropped. */
    private static Path copy(Path src, Path dst, String from, String to, String drop) throws IOException, InputFormatException {
        try (MatrixStore s = MatrixStore.open(src)) {
            List<String> ids = new ArrayList<>();
            List<Integer> keep = new ArrayList<>();
            for (int j = 0; j < s.cols(); j++) {
                String id = s.sampleIds().get(j);
                if (id.equals(drop)) continue;
                keep.add(j);
                ids.add(id.equals(from) ? to : id);
            }
            StoreDescription d = StoreDescription.of(s.meta().layer(), s.meta().omicsType(), s.meta().units());
            float[] row = new float[s.cols()];
            float[] kept = new float[keep.size()];
            try (StoreWriter w = StoreWriter.create(dst, ids, d, true)) {
                for (long i = 0; i < s.rows(); i++) {
                    s.copyRow(i, row, 0);
                    for (int k = 0; k < kept.length; k++) kept[k] = row[keep.get(k)];
                    w.appendRow(s.featureIds().get((int) i), kept, 0);
                }
                w.commit();
            }
        }
        return dst;
    }
}
