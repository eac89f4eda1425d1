package org.omx.engine.demo;

import org.omx.engine.ingest.ImportRequest;
import org.omx.engine.ingest.Importer;
import org.omx.engine.ingest.InputKind;
import org.omx.engine.normalize.LibrarySize;
import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.TmmFactors;
import org.omx.engine.normalize.Vst;
import org.omx.engine.simulate.CohortSimulator;
import org.omx.engine.simulate.SimulationSpec;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.export.TsvExporter;
import org.omx.io.plink.BedFile;
import org.omx.engine.network.AdjustedRandIndex;
import org.omx.engine.network.NetworkAnalysis;
import org.omx.engine.network.NetworkInputException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreLayout;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.SelfCheck;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * {@code omx demo}: simulates a small cohort and runs every step omx can do so far, printing what it
 * found and where the files are. Each step checks its own result (a round trip must be exact, a
 * checksum must match), so the demo doubles as an end-to-end smoke test: it throws on any mismatch.
 */
public final class Demo {

    private final Path dir;
    private final PrintStream out;
    private final Consumer<String> log;
    private final BiFunction<String, String, ProgressSink> progress;
    private final String backendName;
    private final int threads;
    private final long memoryBytes;

    /** A progress display for one task, closed when the task ends. */
    public interface ProgressSink extends Progress, AutoCloseable {
        @Override
        void close();
    }

    public Demo(Path dir, PrintStream out, Consumer<String> log, BiFunction<String, String, ProgressSink> progress,
                String backendName, int threads, long memoryBytes) {
        this.dir = dir;
        this.out = out;
        this.log = log;
        this.progress = progress;
        this.backendName = backendName;
        this.threads = threads;
        this.memoryBytes = memoryBytes;
    }

    public void run(SimulationSpec spec) throws IOException, InputFormatException {
        long t0 = System.nanoTime();
        StoreLayout.deleteTree(dir);
        Path cohortDir = dir.resolve("cohort");

        out.println("== 1. simulate a cohort (seed " + spec.seed() + ")");
        Path manifestPath;
        try (ProgressSink p = progress.apply("simulate", "rows")) {
            manifestPath = new CohortSimulator().simulate(spec, cohortDir, p);
        }
        CohortManifest manifest = CohortManifest.read(manifestPath);
        out.printf(Locale.ROOT, "   %d people, manifest %s%n", spec.samples(), manifestPath);
        for (CohortManifest.Layer layer : manifest.layers()) {
            if (layer.format() == CohortManifest.Format.OMX) {
                try (MatrixStore s = MatrixStore.open(layer.path())) {
                    out.printf(Locale.ROOT, "   %-14s %-13s %6d features x %d samples, %5.1f%% missing, units %s%n",
                            layer.name(), layer.omicsType(), s.rows(), s.cols(), 100 * missingShare(s), layer.units());
                }
            } else if (layer.format() == CohortManifest.Format.PLINK) {
                try (BedFile bed = BedFile.open(layer.path())) {
                    out.printf(Locale.ROOT, "   %-14s %-13s %6d variants x %d samples (PLINK .bed)%n",
                            layer.name(), layer.omicsType(), bed.nVariants(), bed.nSamples());
                }
            }
        }

        out.println("== 2. cohort: omx cohort check and align across three layers from different labs");
        Path aligned = CohortStep.run(manifest, dir, out, log);

        out.println("== 3. export and re-import (exact round trip, both orientations, gzip)");
        Path rna = cohortDir.resolve(CohortSimulator.TRANSCRIPTOME);
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path imported = Files.createDirectories(dir.resolve("imported"));
        roundTrip(rna, exports.resolve("transcriptome.tsv.gz"), imported.resolve("transcriptome.omx"), false);
        roundTrip(rna, exports.resolve("transcriptome.samples-in-rows.tsv.gz"),
                imported.resolve("transcriptome.transposed.omx"), true);

        out.println("== 4. import genotypes from PLINK .bed (dosage of A1, missing calls mean-imputed)");
        Path geno = imported.resolve("genotypes.omx");
        try (ProgressSink p = progress.apply("import genotypes", InputKind.PLINK.progressUnit())) {
            Importer.run(request(cohortDir.resolve(CohortSimulator.GENOTYPES), geno, InputKind.PLINK, true, true), p);
        }
        try (MatrixStore s = MatrixStore.open(geno); BedFile bed = BedFile.open(cohortDir.resolve(CohortSimulator.GENOTYPES))) {
            long missingCalls = 0;
            double mafSum = 0;
            for (long v = 0; v < bed.nVariants(); v++) {
                BedFile.AlleleStats st = bed.alleleStats(v);
                missingCalls += bed.nSamples() - st.nonMissing();
                mafSum += Math.min(st.a1Frequency(), 1 - st.a1Frequency());
            }
            out.printf(Locale.ROOT, "   %s: %d variants x %d samples; %d missing calls imputed; mean minor allele frequency %.3f%n",
                    geno, s.rows(), s.cols(), missingCalls, mafSum / bed.nVariants());
        }

        out.println("== 5. verify checksums of every store");
        for (Path store : List.of(rna, cohortDir.resolve(CohortSimulator.PROTEOME), cohortDir.resolve(CohortSimulator.METABOLOME),
                cohortDir.resolve(CohortSimulator.MICROBIOME), imported.resolve("transcriptome.omx"), geno)) {
            try (MatrixStore s = MatrixStore.open(store)) {
                List<String> problems = s.verify(r -> { });
                if (!problems.isEmpty()) throw new IllegalStateException(store + ": " + problems);
                out.printf("   %-60s ok (%d blocks)%n", dir.relativize(store), s.meta().checksum().blocks().size());
            }
        }

        Path truthModules = cohortDir.resolve(CohortSimulator.TRUTH).resolve("modules.tsv");
        try (Backend backend = Backends.open(backendName, threads, log)) {
            out.println("== 6. compute backend and a first look at co-expression");
            backendStep(backend, rna, truthModules);
            out.println("== 7. normalize: the transcriptome (edgeR TMM log-CPM, DESeq2 blind VST), tile by tile on the backend; "
                    + "proteome and metabolome by per-layer recipes from the aligned manifest");
            Path logCpm = normalizeStep(backend, rna);
            try (ProgressSink p = progress.apply("normalize by recipe", "rows")) {
                CohortStep.normalizeByRecipe(aligned, dir, out, new NormalizeContext(backend, memoryBytes, p, log,
                        Math.max(1, threads > 0 ? threads : Runtime.getRuntime().availableProcessors())));
            }
            out.println("== 8. co-expression network of the TMM log-CPM (omx network: exact TOM, average linkage, dynamic tree cut)");
            networkStep(backend, logCpm, truthModules);
            out.println("== 9. factorize: genotype PCA of the .bed, and MFA across transcriptome / proteome / metabolome");
            long tf = System.nanoTime();
            try (ProgressSink p = progress.apply("factorize", "rows")) {
                org.omx.engine.factorize.FactorizeContext fctx = FactorizeStep.context(backend, memoryBytes, p, log);
                Path truth = cohortDir.resolve(CohortSimulator.TRUTH);
                FactorizeStep.genotypePca(fctx, cohortDir.resolve(CohortSimulator.GENOTYPES), truth.resolve("populations.tsv"), out);
                FactorizeStep.mfa(fctx, dir, logCpm, cohortDir.resolve(CohortSimulator.PROTEOME), cohortDir.resolve(CohortSimulator.METABOLOME),
                        truth.resolve("module_factors.tsv"), out);
            }
            out.printf(Locale.ROOT, "   factorize step %.1fs%n", (System.nanoTime() - tf) / 1e9);
        }

        out.printf(Locale.ROOT, "== done in %.1fs. Files: %s (cohort/ simulated data and truth, imported/ stores, exports/ TSV, normalized/ stores, network/ modules, factorize/ MFA inputs)%n",
                (System.nanoTime() - t0) / 1e9, dir.toAbsolutePath());
    }

    /** Prints the backend, its device and self-check, and planted-module correlations from one GEMM. */
    private void backendStep(Backend backend, Path rna, Path truthModules) throws IOException, InputFormatException {
        SelfCheck check = backend.selfCheck();
        out.println("   backend " + backend.name() + " on " + backend.devices().getFirst().name()
                + ", self-check " + (check.passed() ? "passed" : "FAILED"));
        int[] module = plantedModules(truthModules, rna);
        try (MatrixStore s = MatrixStore.open(rna)) {
            ModuleCorrelation.Summary sum = ModuleCorrelation.compute(backend, s, module);
            out.println("   Pearson correlation of log2(count + 1) between all genes, as one GEMM on the backend:");
            out.println("   planted module   genes   mean r within");
            sum.withinByModule().forEach((m, r) -> out.printf(Locale.ROOT, "   %14d %7d %15.3f%n", m, sum.sizes().get(m), r));
            out.printf(Locale.ROOT, "   between different modules: mean r %.3f%n", sum.between());
        }
    }

    /** TMM log-CPM and VST of the counts; returns the log-CPM store. */
    private Path normalizeStep(Backend backend, Path rna) throws IOException, InputFormatException {
        Path normalized = Files.createDirectories(dir.resolve("normalized"));
        try (MatrixStore s = MatrixStore.open(rna)) {
            try (ProgressSink p = progress.apply("tmm log-cpm", "rows")) {
                NormalizeContext ctx = new NormalizeContext(backend, memoryBytes, p, log, Math.max(1, threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
                double[] lib = LibrarySize.compute(s, ctx, "tmm");
                double[] f = TmmFactors.compute(s, lib, ctx);
                new LogCpm(true, 2).apply(s, normalized.resolve("transcriptome.logcpm.omx"), true, ctx);
                out.printf(Locale.ROOT, "   TMM factors %.3f .. %.3f -> %s%n", java.util.Arrays.stream(f).min().orElseThrow(),
                        java.util.Arrays.stream(f).max().orElseThrow(), dir.relativize(normalized.resolve("transcriptome.logcpm.omx")));
            }
            try (ProgressSink p = progress.apply("vst", "rows")) {
                NormalizeContext ctx = new NormalizeContext(backend, memoryBytes, p, log, Math.max(1, threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
                Vst.Fit fit = Vst.fit(s, ctx);
                new Vst().apply(s, normalized.resolve("transcriptome.vst.omx"), true, ctx);
                out.printf(Locale.ROOT, "   VST dispersion trend %.4f + %.4f / mean -> %s%n", fit.asymptDisp(), fit.extraPois(),
                        dir.relativize(normalized.resolve("transcriptome.vst.omx")));
            }
            for (String name : List.of("transcriptome.logcpm.omx", "transcriptome.vst.omx")) {
                try (MatrixStore n = MatrixStore.open(normalized.resolve(name))) {
                    if (missingShare(n) > 0) throw new IllegalStateException(name + ": normalization produced missing values");
                }
            }
        }
        return normalized.resolve("transcriptome.logcpm.omx");
    }

    /** Runs omx network on a normalized expression store and compares the modules with the planted ones. */
    private void networkStep(Backend backend, Path logStore, Path truth) throws IOException, InputFormatException {
        Files.createDirectories(dir.resolve("network"));
        int[] planted = plantedModules(truth, logStore);
        try (MatrixStore s = MatrixStore.open(logStore)) {
            NetworkAnalysis.Parameters p = NetworkAnalysis.Parameters.defaults();
            NetworkAnalysis.Result r;
            try {
                r = NetworkAnalysis.run(backend, s, dir.resolve("network"), p, threads, memoryBytes, log, (t, n) -> x -> { });
            } catch (NetworkInputException e) {
                out.println("   automatic power: " + e.getMessage());
                p = new NetworkAnalysis.Parameters(p.correlation(), p.maxPOutliers(), p.networkType(), p.tomType(), 6, p.rSquaredCut(),
                        p.powers(), p.minModuleSize(), p.deepSplit(), p.pamStage(), p.mergeCutHeight(), false);
                r = NetworkAnalysis.run(backend, s, dir.resolve("network"), p, threads, memoryBytes, log, (t, n) -> x -> { });
            }
            NetworkAnalysis.write(r, p, dir.resolve("network"), logStore.toString());
            out.printf(Locale.ROOT, "   power %s (%s), %d genes, tile plan %d rows%n", r.power() == Math.rint(r.power()) ? Long.toString((long) r.power()) : Double.toString(r.power()), r.powerRule(), s.rows(), r.plan().blockRows());
            out.println("   found module   genes   planted module of most of its genes (share)");
            int found = java.util.Arrays.stream(r.labels()).max().orElse(0);
            for (int m = 0; m <= found; m++) {
                Map<Integer, Integer> counts = new HashMap<>();
                int size = 0;
                for (int i = 0; i < planted.length; i++) if (r.labels()[i] == m) { counts.merge(planted[i], 1, Integer::sum); size++; }
                if (size == 0) continue;
                var top = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                out.printf(Locale.ROOT, "   %12s %7d   %d (%.0f%%)%n", m == 0 ? "0 (none)" : Integer.toString(m), size, top.getKey(), 100.0 * top.getValue() / size);
            }
            out.printf(Locale.ROOT, "   adjusted Rand index, found vs planted modules (0 = none in both): %.3f%n", AdjustedRandIndex.of(r.labels(), planted));
        }
    }

    private void roundTrip(Path store, Path tsv, Path back, boolean samplesInRows) throws IOException, InputFormatException {
        try (MatrixStore s = MatrixStore.open(store); ProgressSink p = progress.apply("export " + tsv.getFileName(), "rows")) {
            TsvExporter.export(s, tsv, samplesInRows, p);
        }
        try (ProgressSink p = progress.apply("import " + tsv.getFileName(), "B")) {
            Importer.run(request(tsv, back, InputKind.DELIMITED, !samplesInRows, false), p);
        }
        try (MatrixStore a = MatrixStore.open(store); MatrixStore b = MatrixStore.open(back)) {
            boolean same = a.featureIds().equals(b.featureIds()) && a.sampleIds().equals(b.sampleIds())
                    && a.data().mismatch(b.data()) == -1;
            if (!same) throw new IllegalStateException("round trip through " + tsv + " changed the data");
            out.printf(Locale.ROOT, "   %s (%s) -> %s: identical, bit for bit (%d x %d)%n", dir.relativize(tsv),
                    org.omx.engine.ByteSize.format(Files.size(tsv)), dir.relativize(back), b.rows(), b.cols());
        }
    }

    private ImportRequest request(Path in, Path outStore, InputKind kind, boolean samplesInColumns, boolean meanImpute) {
        return new ImportRequest(in, outStore, kind, samplesInColumns, null, null, null, meanImpute, null,
                kind == InputKind.PLINK ? "genome" : "transcriptome", kind == InputKind.PLINK ? null : "counts",
                true, threads, memoryBytes);
    }

    private static double missingShare(MatrixStore s) {
        long nan = 0;
        long n = s.rows() * s.cols();
        for (long i = 0; i < n; i++) if (Float.isNaN(s.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i))) nan++;
        return n == 0 ? 0 : (double) nan / n;
    }

    /** Module of each gene of the store, from the simulator's truth table (gene_id, module, ...). */
    private static int[] plantedModules(Path modulesTsv, Path store) throws IOException, InputFormatException {
        Map<String, Integer> byGene = new HashMap<>();
        List<String> lines = Files.readAllLines(modulesTsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            byGene.put(f[0], Integer.parseInt(f[1]));
        }
        try (MatrixStore s = MatrixStore.open(store)) {
            return s.featureIds().stream().mapToInt(id -> byGene.getOrDefault(id, 0)).toArray();
        }
    }
}
