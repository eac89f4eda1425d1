package org.omx.engine.simulate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omx.io.Progress;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CohortSimulatorTest {

    static final SimulationSpec SPEC = SimulationSpec.defaults();
    static final List<String> STORES = List.of(CohortSimulator.TRANSCRIPTOME, CohortSimulator.PROTEOME,
            CohortSimulator.METABOLOME, CohortSimulator.MICROBIOME);

    @TempDir
    static Path shared;
    static Path cohort;
    static Path manifestFile;
    static long lastProgress;

    @BeforeAll
    static void simulateOnce() throws IOException {
        cohort = shared.resolve("demo");
        AtomicLong seen = new AtomicLong();
        long t0 = System.nanoTime();
        manifestFile = new CohortSimulator().simulate(SPEC, cohort, (done, total) -> {
            assertEquals((long) SPEC.variants() + SPEC.genes() + SPEC.proteins() + SPEC.metabolites() + 2L * SPEC.taxa(), total);
            seen.set(done);
        });
        System.out.printf("demo cohort simulated in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        lastProgress = seen.get();
    }

    // ---- helpers -----------------------------------------------------------------------------

    static float[][] matrix(Path store) throws Exception {
        try (MatrixStore s = MatrixStore.open(store)) {
            float[][] m = new float[(int) s.rows()][s.cols()];
            for (int r = 0; r < m.length; r++) s.copyRow(r, m[r], 0);
            return m;
        }
    }

    /** Decodes the .bed into A1 dosages, -1 missing; checks the magic and the size. */
    static byte[][] bed(Path bed, int variants, int samples) throws IOException {
        byte[] b = Files.readAllBytes(bed);
        int per = (samples + 3) / 4;
        assertEquals(3 + (long) per * variants, b.length);
        assertArrayEquals(new byte[] {0x6c, 0x1b, 0x01}, Arrays.copyOf(b, 3));
        int[] dosage = {2, -1, 1, 0}; // by code 00, 01, 10, 11
        byte[][] g = new byte[variants][samples];
        for (int v = 0; v < variants; v++)
            for (int j = 0; j < samples; j++)
                g[v][j] = (byte) dosage[(b[3 + v * per + j / 4] >>> (2 * (j % 4))) & 3];
        return g;
    }

    static List<String[]> tsv(Path file) throws IOException {
        return Files.readAllLines(file).stream().skip(1).map(l -> l.split("\t", -1)).toList();
    }

    static double correlation(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    // ---- tests -------------------------------------------------------------------------------

    @Test
    void writes_every_layer_table_and_truth_file_with_the_planned_shapes() throws Exception {
        assertEquals(cohort.resolve(CohortSimulator.MANIFEST), manifestFile);
        assertEquals((long) SPEC.variants() + SPEC.genes() + SPEC.proteins() + SPEC.metabolites() + 2L * SPEC.taxa(),
                lastProgress);
        for (String f : List.of("genotypes.bed", "genotypes.bim", "genotypes.fam", "covariates.tsv", "environment.tsv",
                "phenotypes.tsv", "truth/modules.tsv", "truth/module_factors.tsv", "truth/causal_variants.tsv",
                "truth/populations.tsv", "truth/variant_frequencies.tsv", "truth/proteins.tsv", "truth/metabolites.tsv",
                "truth/taxa.tsv", "truth/liability.json", "truth/liability.tsv", "truth/spec.json"))
            assertTrue(Files.isRegularFile(cohort.resolve(f)), f);
        try (var s = Files.walk(cohort)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files left");
        }
        int[] rows = {SPEC.genes(), SPEC.proteins(), SPEC.metabolites(), SPEC.taxa()};
        for (int i = 0; i < STORES.size(); i++) {
            try (MatrixStore s = MatrixStore.open(cohort.resolve(STORES.get(i)))) {
                assertEquals(rows[i], s.rows());
                assertEquals(SPEC.samples(), s.cols());
                assertEquals("P000001", s.sampleIds().get(0));
                assertEquals(List.of(), s.verify(r -> { }));
                StoreMeta m = s.meta();
                assertEquals("simulate", m.provenance().getLast().step());
                assertEquals("42", m.provenance().getLast().parameters().get("seed"));
            }
        }
        bed(cohort.resolve("genotypes.bed"), SPEC.variants(), SPEC.samples());
        assertEquals(SPEC.variants(), Files.readAllLines(cohort.resolve("genotypes.bim")).size());
        List<String> fam = Files.readAllLines(cohort.resolve("genotypes.fam"));
        assertEquals(SPEC.samples(), fam.size());
        assertTrue(fam.get(0).startsWith("P000001 P000001 0 0 "));
        assertEquals(SPEC.samples(), tsv(cohort.resolve("covariates.tsv")).size());
        assertEquals(2 * SPEC.causalVariants(), tsv(cohort.resolve("truth/causal_variants.tsv")).size());
        assertEquals(List.of("sample_id", "age", "sex", "batch", "population"),
                List.of(Files.readAllLines(cohort.resolve("covariates.tsv")).get(0).split("\t")));
    }

    @Test
    void counts_are_non_negative_integers_and_microbiome_is_sparse() throws Exception {
        for (String store : List.of(CohortSimulator.TRANSCRIPTOME, CohortSimulator.MICROBIOME)) {
            for (float[] row : matrix(cohort.resolve(store)))
                for (float v : row) assertTrue(v >= 0 && v == Math.rint(v), store + ": " + v);
        }
        float[][] taxa = matrix(cohort.resolve(CohortSimulator.MICROBIOME));
        long zeros = 0;
        double[] depth = new double[SPEC.samples()];
        for (float[] row : taxa)
            for (int j = 0; j < row.length; j++) {
                if (row[j] == 0) zeros++;
                depth[j] += row[j];
            }
        double zeroShare = zeros / (double) (taxa.length * SPEC.samples());
        assertTrue(zeroShare > 0.25 && zeroShare < 0.9, "zero share " + zeroShare);
        double meanDepth = Arrays.stream(depth).average().orElse(0);
        assertTrue(Math.abs(meanDepth / SPEC.readDepth() - 1) < 0.2, "mean depth " + meanDepth);
    }

    @Test
    void missing_values_appear_where_planned() throws Exception {
        byte[][] g = bed(cohort.resolve("genotypes.bed"), SPEC.variants(), SPEC.samples());
        long missing = 0;
        for (byte[] row : g) for (byte x : row) if (x < 0) missing++;
        double rate = missing / (double) (SPEC.variants() * SPEC.samples());
        assertTrue(rate > 0.005 && rate < 0.015, "genotype missing rate " + rate);

        assertEquals(0, nanShare(matrix(cohort.resolve(CohortSimulator.TRANSCRIPTOME))));
        double prot = nanShare(matrix(cohort.resolve(CohortSimulator.PROTEOME)));
        assertTrue(prot > 0.03 && prot < 0.07, "protein missing " + prot);

        // metabolites: missing below the detection limit (not at random) plus a few at random
        float[][] met = matrix(cohort.resolve(CohortSimulator.METABOLOME));
        double metShare = nanShare(met);
        double planned = SPEC.metaboliteBelowDetection() + SPEC.metaboliteMissingRate();
        assertTrue(Math.abs(metShare - planned) < 0.03, "metabolite missing " + metShare + " vs " + planned);
        List<String[]> truth = tsv(cohort.resolve("truth/metabolites.tsv"));
        for (int i = 0; i < met.length; i++) {
            double lod = Double.parseDouble(truth.get(i)[4]);
            for (float v : met[i]) assertTrue(Float.isNaN(v) || v >= lod * 0.999, "value " + v + " below LOD " + lod);
        }
    }

    private static double nanShare(float[][] m) {
        long nan = 0;
        for (float[] row : m) for (float v : row) if (Float.isNaN(v)) nan++;
        return nan / (double) (m.length * (long) m[0].length);
    }

    @Test
    void planted_module_genes_correlate_more_within_than_between_modules() throws Exception {
        float[][] counts = matrix(cohort.resolve(CohortSimulator.TRANSCRIPTOME));
        int n = SPEC.samples();
        double[] libSize = new double[n];
        for (float[] row : counts) for (int j = 0; j < n; j++) libSize[j] += row[j];
        List<String[]> modules = tsv(cohort.resolve("truth/modules.tsv"));
        int[] module = modules.stream().mapToInt(r -> Integer.parseInt(r[1])).toArray();
        assertTrue(Arrays.stream(module).anyMatch(m -> m == 0), "some grey genes");
        assertEquals(SPEC.modules(), Arrays.stream(module).filter(m -> m > 0).distinct().count());
        // log CPM of reasonably expressed module genes
        Map<Integer, double[]> logCpm = new HashMap<>();
        for (int g = 0; g < counts.length; g++) {
            if (module[g] == 0) continue;
            double mean = 0;
            for (float v : counts[g]) mean += v / n;
            if (mean < 20) continue;
            double[] x = new double[n];
            for (int j = 0; j < n; j++) x[j] = Math.log((counts[g][j] + 0.5) / libSize[j] * 1e6);
            logCpm.put(g, x);
        }
        Integer[] genes = logCpm.keySet().stream().sorted().limit(300).toArray(Integer[]::new);
        double within = 0;
        double between = 0;
        long nw = 0;
        long nb = 0;
        for (int a = 0; a < genes.length; a++)
            for (int b = a + 1; b < genes.length; b++) {
                double r = correlation(logCpm.get(genes[a]), logCpm.get(genes[b]));
                if (module[genes[a]] == module[genes[b]]) {
                    within += r;
                    nw++;
                } else {
                    between += r;
                    nb++;
                }
            }
        within /= nw;
        between /= nb;
        assertTrue(within > 0.3, "mean within-module correlation " + within);
        assertTrue(within - between > 0.25, "within " + within + " vs between " + between);
    }

    @Test
    void population_structure_shows_in_allele_frequencies() throws Exception {
        byte[][] g = bed(cohort.resolve("genotypes.bed"), SPEC.variants(), SPEC.samples());
        int[] pop = tsv(cohort.resolve("truth/populations.tsv")).stream()
                .mapToInt(r -> Integer.parseInt(r[1].substring(3)) - 1).toArray();
        int[] shuffled = pop.clone();
        var rng = new java.util.Random(7);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[k];
            shuffled[k] = t;
        }
        double fst = meanFst(g, pop);
        double fstShuffled = meanFst(g, shuffled);
        // sampling noise adds about 1 / (2 n_k) ~ 0.005 to the estimate
        assertTrue(fst > 0.04 && fst < 0.15, "F_ST " + fst);
        assertTrue(fstShuffled < 0.015, "F_ST with shuffled labels " + fstShuffled);
    }

    /** Mean over variants of var_k(p_k) / (pbar (1 - pbar)): a simple F_ST estimate. */
    private double meanFst(byte[][] g, int[] pop) {
        int k = SPEC.populations();
        double sum = 0;
        int used = 0;
        for (byte[] row : g) {
            double[] a1 = new double[k];
            double[] alleles = new double[k];
            for (int j = 0; j < row.length; j++) {
                if (row[j] < 0) continue;
                a1[pop[j]] += row[j];
                alleles[pop[j]] += 2;
            }
            double[] p = new double[k];
            double mean = 0;
            for (int q = 0; q < k; q++) {
                p[q] = a1[q] / alleles[q];
                mean += p[q] / k;
            }
            if (mean <= 0.01 || mean >= 0.99) continue;
            double var = 0;
            for (int q = 0; q < k; q++) var += (p[q] - mean) * (p[q] - mean) / k;
            sum += var / (mean * (1 - mean));
            used++;
        }
        return sum / used;
    }

    @Test
    void disease_prevalence_is_near_the_planned_one_and_follows_the_liability() throws Exception {
        List<String[]> ph = tsv(cohort.resolve("phenotypes.tsv"));
        double prevalence = ph.stream().mapToInt(r -> Integer.parseInt(r[1])).average().orElse(0);
        assertTrue(prevalence > 0.12 && prevalence < 0.30, "prevalence " + prevalence);
        List<String[]> liab = tsv(cohort.resolve("truth/liability.tsv"));
        double[] l = liab.stream().mapToDouble(r -> Double.parseDouble(r[1])).toArray();
        double var = Arrays.stream(l).map(x -> x * x).average().orElse(0);
        assertTrue(var > 0.7 && var < 1.4, "liability variance " + var);
        // the planted module's factor is associated with disease
        double[] factor = tsv(cohort.resolve("truth/module_factors.tsv")).stream()
                .mapToDouble(r -> Double.parseDouble(r[1])).toArray();
        double[] disease = ph.stream().mapToDouble(r -> Double.parseDouble(r[1])).toArray();
        assertTrue(correlation(factor, disease) > 0.1, "module factor vs disease");
    }

    @Test
    void manifest_reads_back_and_names_existing_files() throws Exception {
        CohortManifest m = CohortManifest.read(manifestFile);
        assertEquals(SPEC.cohort(), m.cohort());
        assertEquals(SPEC.seed(), m.seed());
        assertEquals(List.of("genotypes", "transcriptome", "proteome", "metabolome", "microbiome"),
                m.layers().stream().map(CohortManifest.Layer::name).toList());
        assertEquals(CohortManifest.Format.PLINK, m.layer("genotypes").orElseThrow().format());
        assertEquals(List.of(), m.missingFiles());
        assertEquals(cohort.resolve("truth").toAbsolutePath().normalize(), m.tables().truth());
        assertTrue(Files.readString(manifestFile).contains("path: transcriptome.omx"));
    }

    @Test
    void same_seed_gives_identical_bytes_and_another_seed_does_not(@TempDir Path dir) throws Exception {
        SimulationSpec small = SPEC.withShape(120, 400, 200, 50, 40, 30);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        CohortSimulator sim = new CohortSimulator();
        sim.simulate(small, a, Progress.NONE);
        sim.simulate(small, b, Progress.NONE);
        sim.simulate(small.withSeed(43), c, Progress.NONE);
        List<String> files = new java.util.ArrayList<>(List.of("genotypes.bed", "genotypes.bim", "phenotypes.tsv",
                "covariates.tsv", "truth/modules.tsv"));
        for (String s : STORES) files.add(s + "/matrix.npy");
        for (String f : files) {
            byte[] x = Files.readAllBytes(a.resolve(f));
            assertArrayEquals(x, Files.readAllBytes(b.resolve(f)), f);
            assertFalse(Arrays.equals(x, Files.readAllBytes(c.resolve(f))), f + " should differ with another seed");
        }
    }

    @Test
    void refuses_a_non_empty_directory_unless_overwriting(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "x");
        SimulationSpec tiny = SPEC.withShape(20, 40, 30, 10, 10, 10);
        assertThrows(FileAlreadyExistsException.class, () -> new CohortSimulator().simulate(tiny, dir, Progress.NONE));
        Path m = new CohortSimulator().simulate(tiny, dir, true, Progress.NONE);
        assertTrue(Files.exists(m));
        assertTrue(Files.exists(dir.resolve("keep.txt")));
        new CohortSimulator().simulate(tiny, dir, true, Progress.NONE); // a second run replaces the first
        assertEquals(20, tsv(dir.resolve("covariates.tsv")).size());
    }

    @Test
    void spec_rejects_impossible_values() {
        assertThrows(IllegalArgumentException.class, () -> SPEC.withShape(0, 10, 10, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SimulationSpec("x", 1, 10, 10, 10, 0, 0, 0, 2, 0.5, 2,
                0.6, 1, 0, 0, 0, 0, 1, 0.3, 0.1, 0.2, 100));
        assertThrows(IllegalArgumentException.class, () -> new SimulationSpec("x", 1, 10, 10, 10, 0, 0, 0, 2, 0.5, 2,
                0.05, 1, 0, 0, 0, 0, 1, 0.6, 0.3, 0.2, 100));
    }
}
