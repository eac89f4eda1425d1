package org.omx.engine.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.omx.io.OmxVersion;
import org.omx.io.PendingFile;
import org.omx.io.Progress;
import org.omx.io.cohort.CohortManifest;
import org.omx.io.plink.BedWriter;
import org.omx.io.store.Provenance;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Simulates a multi-omics cohort with known structure planted in it, for tests, demos and for
 * checking that the pipelines find what was planted. See {@link SimulationSpec} for the knobs.
 *
 * <p>The models, per layer (features x samples, one row generated at a time and streamed to disk;
 * only per-sample vectors are held in memory):
 * <ul>
 * <li>genotypes: Balding-Nichols (1995). Each variant's ancestral A1 frequency p ~ U(0.05, 0.5);
 *   population k's frequency p_k ~ Beta(p(1-F)/F, (1-p)(1-F)/F) with F = fst; each person, in one
 *   of K populations, carries Binomial(2, p_k) copies of A1; calls go missing at random.</li>
 * <li>transcriptome: negative binomial counts (gamma-Poisson) with mean
 *   s_j exp(mu_g + a_g f_{m(g), j} - a_g^2 / 2 + d_{g, batch(j)}): log-normal base mean mu_g,
 *   library size factor s_j, planted module m(g) with loading a_g on the module's latent sample
 *   factor f (module 0, grey, has none), and a per-gene batch shift.</li>
 * <li>proteome: log-normal intensities; protein i follows its source gene's module factor with a
 *   coupling in [0.6, 1], plus batch shift and noise; values missing at random.</li>
 * <li>metabolome: log-normal, loading on the diet score and (for ~30%) on a module factor; values
 *   below a per-metabolite detection limit are missing (not at random), plus some at random.</li>
 * <li>microbiome: each taxon is present in a person with its own prevalence; present taxa get a
 *   gamma-distributed abundance (shape below 1: heavy tails) shifted by diet; read counts are
 *   Poisson(depth_j x proportion), i.e. a Poisson-approximated Dirichlet-multinomial. The
 *   per-sample totals that make proportions come from a first pass that regenerates each row
 *   from its seed, so the matrix is never held.</li>
 * <li>disease: liability threshold model. Liability (variance ~1) = sqrt(h2) G + sqrt(moduleEffect)
 *   f_1 + smoking + diet (protective) + age + residual, where G is the sum over causal variants of
 *   beta_v (x - 2p) / sqrt(2p(1-p)) with sum beta_v^2 = 1 and p ancestral (so G also carries
 *   population stratification); cases are liability above the normal quantile of 1 - prevalence.
 *   A quantitative trait follows the same pattern with other causal variants and module 2.</li>
 * </ul>
 *
 * <p>Determinism: every random value comes from a {@link java.util.SplittableRandom} seeded by
 * (seed, stream, index) through {@link Seeds}, with separate streams for a feature's parameters and
 * its values, so the bytes of every matrix and of the .bed depend only on the spec.
 */
public final class CohortSimulator {

    public static final String MANIFEST = "cohort.yaml";
    public static final String GENOTYPES = "genotypes";
    public static final String TRANSCRIPTOME = "transcriptome.omx";
    public static final String PROTEOME = "proteome.omx";
    public static final String METABOLOME = "metabolome.omx";
    public static final String MICROBIOME = "microbiome.omx";
    public static final String COVARIATES = "covariates.tsv";
    public static final String ENVIRONMENT = "environment.tsv";
    public static final String PHENOTYPES = "phenotypes.tsv";
    public static final String TRUTH = "truth";

    /** Smoking status by code 0, 1, 2 and its probabilities. */
    static final String[] SMOKING = {"never", "former", "current"};
    private static final double[] SMOKING_P = {0.55, 0.25, 0.20};
    private static final double SMOKING_MEAN = SMOKING_P[1] + 2 * SMOKING_P[2];
    private static final double SMOKING_SD = Math.sqrt(SMOKING_P[1] + 4 * SMOKING_P[2] - SMOKING_MEAN * SMOKING_MEAN);
    private static final double AGE_MIN = 30;
    private static final double AGE_MAX = 80;
    private static final double AGE_MEAN = (AGE_MIN + AGE_MAX) / 2;
    private static final double AGE_SD = (AGE_MAX - AGE_MIN) / Math.sqrt(12);
    /** Quantitative trait: variance shares of its genetic, module, activity and age parts. */
    private static final double QT_GENETIC = 0.4;
    private static final double QT_MODULE = 0.1;
    private static final double QT_ACTIVITY = 0.05;
    private static final double QT_AGE = 0.05;
    private static final String[][] ALLELES = {{"A", "G"}, {"G", "A"}, {"C", "T"}, {"T", "C"},
        {"A", "C"}, {"C", "A"}, {"G", "T"}, {"T", "G"}};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Simulates into {@code outDir}, which must not exist or be empty; returns the path of the
     * written manifest ({@code outDir/cohort.yaml}), which is written last.
     */
    public Path simulate(SimulationSpec spec, Path outDir, Progress progress) throws IOException {
        return simulate(spec, outDir, false, progress);
    }

    /** As {@link #simulate(SimulationSpec, Path, Progress)}; with {@code overwrite}, replaces what is there. */
    public Path simulate(SimulationSpec spec, Path outDir, boolean overwrite, Progress progress) throws IOException {
        if (Files.isDirectory(outDir) && !overwrite) {
            try (Stream<Path> s = Files.list(outDir)) {
                if (s.findAny().isPresent())
                    throw new FileAlreadyExistsException(outDir + " is not empty (use --force to write into it)");
            }
        }
        Files.createDirectories(outDir.resolve(TRUTH));
        return new Run(spec, outDir, overwrite, progress).all();
    }

    /** The per-sample state every layer draws on; O(samples x modules) memory. */
    record Design(String[] ids, int[] population, int[] batch, int[] sex, double[] age, double[] diet,
                  double[] activity, int[] smoking, double[] sizeFactor, double[] readDepth, double[][] factor) {

        static Design draw(SimulationSpec spec) {
            int n = spec.samples();
            Design d = new Design(new String[n], new int[n], new int[n], new int[n], new double[n], new double[n],
                    new double[n], new int[n], new double[n], new double[n], new double[spec.modules()][n]);
            for (int j = 0; j < n; j++) {
                SplittableRandom r = Seeds.rng(spec.seed(), "sample", j);
                d.ids[j] = String.format(Locale.ROOT, "P%06d", j + 1);
                d.population[j] = r.nextInt(spec.populations());
                d.batch[j] = r.nextInt(spec.batches());
                d.sex[j] = r.nextBoolean() ? 1 : 2;
                d.age[j] = AGE_MIN + (AGE_MAX - AGE_MIN) * r.nextDouble();
                d.diet[j] = r.nextGaussian();
                d.activity[j] = 0.3 * d.diet[j] + Math.sqrt(1 - 0.09) * r.nextGaussian();
                double u = r.nextDouble();
                d.smoking[j] = u < SMOKING_P[0] ? 0 : u < SMOKING_P[0] + SMOKING_P[1] ? 1 : 2;
                d.sizeFactor[j] = Math.exp(0.3 * r.nextGaussian());
                d.readDepth[j] = Math.max(100, Math.rint(spec.readDepth() * Math.exp(0.4 * r.nextGaussian())));
                for (int m = 0; m < spec.modules(); m++) d.factor[m][j] = r.nextGaussian();
            }
            return d;
        }
    }

    /** A gene's planted parameters, from its own stream so proteins can look them up. */
    record GeneParams(int module, double loading, double logMean, double dispersion, double[] batchShift) {
        static GeneParams draw(SimulationSpec spec, int g) {
            SplittableRandom r = Seeds.rng(spec.seed(), "gene", g);
            boolean inModule = spec.modules() > 0 && r.nextDouble() < spec.moduleGeneFraction();
            int module = inModule ? 1 + r.nextInt(spec.modules()) : 0;
            double loading = inModule ? 0.5 + 0.5 * r.nextDouble() : 0;
            double logMean = Math.log(100) + 1.8 * r.nextGaussian();
            double dispersion = 0.15 * Math.exp(0.5 * r.nextGaussian());
            double[] batch = new double[spec.batches()];
            for (int b = 0; b < batch.length; b++) batch[b] = 0.25 * r.nextGaussian();
            return new GeneParams(module, loading, logMean, dispersion, batch);
        }
    }

    /** A causal variant: which trait, and its effect per standardized genotype. */
    record Causal(String trait, double beta) {
    }

    private static final class Run {
        final SimulationSpec spec;
        final Path out;
        final Path truth;
        final boolean overwrite;
        final Progress progress;
        final long total;
        final Design d;
        final int n;
        final Provenance provenance;
        final double[] geneticDisease;
        final double[] geneticQt;
        long done;

        Run(SimulationSpec spec, Path out, boolean overwrite, Progress progress) {
            this.spec = spec;
            this.out = out;
            this.truth = out.resolve(TRUTH);
            this.overwrite = overwrite;
            this.progress = progress;
            this.total = (long) spec.variants() + spec.genes() + spec.proteins() + spec.metabolites() + 2L * spec.taxa();
            this.d = Design.draw(spec);
            this.n = spec.samples();
            this.provenance = new Provenance("simulate", null, spec.asParameters(), Instant.now().toString(),
                    OmxVersion.get());
            this.geneticDisease = new double[n];
            this.geneticQt = new double[n];
        }

        Path all() throws IOException {
            sampleTables();
            genotypes();
            transcriptome();
            proteome();
            metabolome();
            microbiome();
            phenotypes();
            writeJson(truth.resolve("spec.json"), spec);
            return manifest();
        }

        /** One row finished; progress is reported every 64 rows and at the end. */
        private void tick() {
            done++;
            if ((done & 63) == 0 || done == total) progress.update(done, total);
        }

        private StoreDescription describe(String layer, String omicsType, String units) {
            return StoreDescription.of(layer, omicsType, units).withStep(provenance);
        }

        // ---- sample tables -------------------------------------------------------------------

        private void sampleTables() throws IOException {
            PendingFile.writeText(out.resolve(COVARIATES), overwrite, w -> {
                w.write("sample_id\tage\tsex\tbatch\tpopulation\n");
                for (int j = 0; j < n; j++)
                    w.write(d.ids()[j] + '\t' + f(d.age()[j], 1) + '\t' + (d.sex()[j] == 1 ? "M" : "F") + '\t'
                            + batchName(d.batch()[j]) + '\t' + populationName(d.population()[j]) + '\n');
            });
            PendingFile.writeText(out.resolve(ENVIRONMENT), overwrite, w -> {
                w.write("sample_id\tdiet_score\tphysical_activity\tsmoking_status\n");
                for (int j = 0; j < n; j++)
                    w.write(d.ids()[j] + '\t' + f(d.diet()[j], 4) + '\t' + f(d.activity()[j], 4) + '\t'
                            + SMOKING[d.smoking()[j]] + '\n');
            });
            PendingFile.writeText(truth.resolve("populations.tsv"), overwrite, w -> {
                w.write("sample_id\tpopulation\n");
                for (int j = 0; j < n; j++) w.write(d.ids()[j] + '\t' + populationName(d.population()[j]) + '\n');
            });
            PendingFile.writeText(truth.resolve("module_factors.tsv"), overwrite, w -> {
                w.write("sample_id");
                for (int m = 1; m <= spec.modules(); m++) w.write("\tM" + m);
                w.write('\n');
                for (int j = 0; j < n; j++) {
                    w.write(d.ids()[j]);
                    for (int m = 0; m < spec.modules(); m++) w.write('\t' + f(d.factor()[m][j], 6));
                    w.write('\n');
                }
            });
        }

        // ---- genotypes -----------------------------------------------------------------------

        /** Picks 2c distinct causal variants: the first c for the disease, the rest for the trait. */
        private Map<Integer, Causal> causalVariants() {
            int c = spec.causalVariants();
            SplittableRandom r = Seeds.rng(spec.seed(), "causal", 0);
            List<Integer> picked = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            while (picked.size() < 2 * c) {
                int v = r.nextInt(spec.variants());
                if (seen.add(v)) picked.add(v);
            }
            Map<Integer, Causal> causal = new HashMap<>();
            for (int t = 0; t < 2; t++) {
                double[] beta = new double[c];
                double ss = 0;
                for (int i = 0; i < c; i++) {
                    beta[i] = r.nextGaussian();
                    ss += beta[i] * beta[i];
                }
                double scale = ss > 0 ? 1 / Math.sqrt(ss) : 0;
                for (int i = 0; i < c; i++)
                    causal.put(picked.get(t * c + i), new Causal(t == 0 ? "disease" : "quantitative_trait", beta[i] * scale));
            }
            return causal;
        }

        private void genotypes() throws IOException {
            Map<Integer, Causal> causal = causalVariants();
            List<BedWriter.Sample> fam = IntStream.range(0, n)
                    .mapToObj(j -> BedWriter.Sample.founder(d.ids()[j], d.sex()[j])).toList();
            int k = spec.populations();
            double f = spec.fst();
            byte[] dosage = new byte[n];
            double[] pk = new double[k];
            try (BedWriter bed = BedWriter.create(out.resolve(GENOTYPES), fam, overwrite);
                 TableFile freqs = new TableFile(truth.resolve("variant_frequencies.tsv"), overwrite);
                 TableFile causals = new TableFile(truth.resolve("causal_variants.tsv"), overwrite)) {
                freqs.write("variant_id\tancestral_freq");
                for (int p = 0; p < k; p++) freqs.write("\tfreq_" + populationName(p));
                freqs.write('\n');
                causals.write("variant_id\ttrait\tbeta\tancestral_freq\n");
                for (int v = 0; v < spec.variants(); v++) {
                    SplittableRandom pr = Seeds.rng(spec.seed(), "variant", v);
                    double p = 0.05 + 0.45 * pr.nextDouble();
                    for (int q = 0; q < k; q++) pk[q] = Distributions.beta(pr, p * (1 - f) / f, (1 - p) * (1 - f) / f);
                    int chrom = 1 + (int) ((long) v * 22 / spec.variants());
                    long position = 1 + 5_000L * v + pr.nextInt(5_000);
                    String[] alleles = ALLELES[pr.nextInt(ALLELES.length)];
                    String id = String.format(Locale.ROOT, "SNP%06d", v + 1);

                    Causal c = causal.get(v);
                    double sd = Math.sqrt(2 * p * (1 - p));
                    SplittableRandom gr = Seeds.rng(spec.seed(), "genotype", v);
                    for (int j = 0; j < n; j++) {
                        double freq = pk[d.population()[j]];
                        int x = (gr.nextDouble() < freq ? 1 : 0) + (gr.nextDouble() < freq ? 1 : 0);
                        boolean missing = gr.nextDouble() < spec.genotypeMissingRate();
                        dosage[j] = missing ? BedWriter.MISSING : (byte) x;
                        // liability uses the true genotype: a missing call is a measurement artefact
                        if (c != null) {
                            double z = c.beta() * (x - 2 * p) / sd;
                            if (c.trait().equals("disease")) geneticDisease[j] += z;
                            else geneticQt[j] += z;
                        }
                    }
                    bed.appendVariant(new BedWriter.Variant(Integer.toString(chrom), id, 0, position, alleles[0],
                            alleles[1]), dosage);
                    freqs.write(id + '\t' + f(p, 6));
                    for (int q = 0; q < k; q++) freqs.write('\t' + f(pk[q], 6));
                    freqs.write('\n');
                    if (c != null) causals.write(id + '\t' + c.trait() + '\t' + f(c.beta(), 6) + '\t' + f(p, 6) + '\n');
                    tick();
                }
                bed.commit();
                freqs.commit();
                causals.commit();
            }
        }

        // ---- transcriptome -------------------------------------------------------------------

        private void transcriptome() throws IOException {
            if (spec.genes() == 0) return;
            float[] row = new float[n];
            try (StoreWriter w = StoreWriter.create(out.resolve(TRANSCRIPTOME), List.of(d.ids()),
                    describe("transcriptome", "transcriptome", "counts"), overwrite);
                 TableFile mods = new TableFile(truth.resolve("modules.tsv"), overwrite)) {
                mods.write("gene_id\tmodule\tloading\tlog_mean\tdispersion\n");
                for (int g = 0; g < spec.genes(); g++) {
                    GeneParams gp = GeneParams.draw(spec, g);
                    double[] factor = gp.module() > 0 ? d.factor()[gp.module() - 1] : null;
                    SplittableRandom r = Seeds.rng(spec.seed(), "counts", g);
                    for (int j = 0; j < n; j++) {
                        double eta = gp.logMean() + gp.batchShift()[d.batch()[j]];
                        if (factor != null) eta += gp.loading() * factor[j] - gp.loading() * gp.loading() / 2;
                        double mean = d.sizeFactor()[j] * Math.exp(eta);
                        row[j] = Distributions.negativeBinomial(r, mean, gp.dispersion());
                    }
                    String id = geneId(g);
                    w.appendRow(id, row, 0);
                    mods.write(id + '\t' + gp.module() + '\t' + f(gp.loading(), 4) + '\t' + f(gp.logMean(), 4) + '\t'
                            + f(gp.dispersion(), 4) + '\n');
                    tick();
                }
                w.commit();
                mods.commit();
            }
        }

        // ---- proteome ------------------------------------------------------------------------

        private void proteome() throws IOException {
            if (spec.proteins() == 0) return;
            float[] row = new float[n];
            try (StoreWriter w = StoreWriter.create(out.resolve(PROTEOME), List.of(d.ids()),
                    describe("proteome", "proteome", "intensity"), overwrite);
                 TableFile t = new TableFile(truth.resolve("proteins.tsv"), overwrite)) {
                t.write("protein_id\tgene_id\tmodule\tcoupling\n");
                for (int i = 0; i < spec.proteins(); i++) {
                    int g = (int) ((long) i * spec.genes() / spec.proteins());
                    GeneParams gp = GeneParams.draw(spec, g);
                    SplittableRandom pr = Seeds.rng(spec.seed(), "protein", i);
                    double base = 15 + 1.5 * pr.nextGaussian();
                    double coupling = 0.6 + 0.4 * pr.nextDouble();
                    double[] batch = new double[spec.batches()];
                    for (int b = 0; b < batch.length; b++) batch[b] = 0.2 * pr.nextGaussian();
                    double[] factor = gp.module() > 0 ? d.factor()[gp.module() - 1] : null;
                    SplittableRandom r = Seeds.rng(spec.seed(), "protein-values", i);
                    for (int j = 0; j < n; j++) {
                        double z = r.nextGaussian();
                        boolean missing = r.nextDouble() < spec.proteinMissingRate();
                        double log = base + batch[d.batch()[j]] + 0.35 * z;
                        if (factor != null) log += coupling * gp.loading() * factor[j];
                        row[j] = missing ? Float.NaN : (float) Math.exp(log);
                    }
                    String id = String.format(Locale.ROOT, "PROT%05d", i + 1);
                    w.appendRow(id, row, 0);
                    t.write(id + '\t' + geneId(g) + '\t' + gp.module() + '\t' + f(coupling, 4) + '\n');
                    tick();
                }
                w.commit();
                t.commit();
            }
        }

        // ---- metabolome ----------------------------------------------------------------------

        private void metabolome() throws IOException {
            if (spec.metabolites() == 0) return;
            float[] row = new float[n];
            double q = spec.metaboliteBelowDetection() > 0
                    ? Distributions.normalQuantile(spec.metaboliteBelowDetection()) : Double.NEGATIVE_INFINITY;
            try (StoreWriter w = StoreWriter.create(out.resolve(METABOLOME), List.of(d.ids()),
                    describe("metabolome", "metabolome", "intensity"), overwrite);
                 TableFile t = new TableFile(truth.resolve("metabolites.tsv"), overwrite)) {
                t.write("metabolite_id\tdiet_loading\tmodule\tmodule_loading\tdetection_limit\n");
                for (int i = 0; i < spec.metabolites(); i++) {
                    SplittableRandom pr = Seeds.rng(spec.seed(), "metabolite", i);
                    double base = 8 + 1.5 * pr.nextGaussian();
                    double dietLoading = 0.4 * pr.nextGaussian();
                    boolean linked = spec.modules() > 0 && pr.nextDouble() < 0.3;
                    int module = linked ? 1 + pr.nextInt(spec.modules()) : 0;
                    double moduleLoading = linked ? 0.3 + 0.4 * pr.nextDouble() : 0;
                    double noise = 0.5;
                    // diet and module factors are N(0, 1), so log intensity is normal with this sd
                    double sd = Math.sqrt(dietLoading * dietLoading + moduleLoading * moduleLoading + noise * noise);
                    double lod = base + q * sd;
                    double[] factor = linked ? d.factor()[module - 1] : null;
                    SplittableRandom r = Seeds.rng(spec.seed(), "metabolite-values", i);
                    for (int j = 0; j < n; j++) {
                        double log = base + dietLoading * d.diet()[j] + noise * r.nextGaussian();
                        if (factor != null) log += moduleLoading * factor[j];
                        boolean missingAtRandom = r.nextDouble() < spec.metaboliteMissingRate();
                        row[j] = log < lod || missingAtRandom ? Float.NaN : (float) Math.exp(log);
                    }
                    String id = String.format(Locale.ROOT, "MET%05d", i + 1);
                    w.appendRow(id, row, 0);
                    t.write(id + '\t' + f(dietLoading, 4) + '\t' + module + '\t' + f(moduleLoading, 4) + '\t'
                            + (Double.isInfinite(lod) ? "0" : f(Math.exp(lod), 4)) + '\n');
                    tick();
                }
                w.commit();
                t.commit();
            }
        }

        // ---- microbiome ----------------------------------------------------------------------

        private record Taxon(double prevalence, double shape, double weight, double dietEffect) {
            static Taxon draw(SimulationSpec spec, int t) {
                SplittableRandom r = Seeds.rng(spec.seed(), "taxon", t);
                return new Taxon(0.2 + 0.75 * r.nextDouble(), 0.8 * Math.exp(0.5 * r.nextGaussian()),
                        Math.exp(1.5 * r.nextGaussian()), 0.3 * r.nextGaussian());
            }
        }

        /** Unnormalized abundances of taxon t in every sample; zero where absent. */
        private void abundance(int t, Taxon x, double[] dst) {
            SplittableRandom r = Seeds.rng(spec.seed(), "taxon-abundance", t);
            for (int j = 0; j < n; j++) {
                boolean present = r.nextDouble() < x.prevalence();
                double g = Distributions.gamma(r, x.shape()) / x.shape();
                dst[j] = present ? x.weight() * Math.exp(x.dietEffect() * d.diet()[j]) * g : 0;
            }
        }

        private void microbiome() throws IOException {
            if (spec.taxa() == 0) return;
            double[] a = new double[n];
            double[] sum = new double[n];
            for (int t = 0; t < spec.taxa(); t++) { // pass 1: per-sample totals
                abundance(t, Taxon.draw(spec, t), a);
                for (int j = 0; j < n; j++) sum[j] += a[j];
                tick();
            }
            float[] row = new float[n];
            try (StoreWriter w = StoreWriter.create(out.resolve(MICROBIOME), List.of(d.ids()),
                    describe("microbiome", "microbiome", "counts"), overwrite);
                 TableFile tw = new TableFile(truth.resolve("taxa.tsv"), overwrite)) {
                tw.write("taxon_id\tprevalence\tshape\tweight\tdiet_effect\n");
                for (int t = 0; t < spec.taxa(); t++) { // pass 2: the same abundances, now as proportions
                    Taxon x = Taxon.draw(spec, t);
                    abundance(t, x, a);
                    SplittableRandom r = Seeds.rng(spec.seed(), "taxon-counts", t);
                    for (int j = 0; j < n; j++)
                        row[j] = sum[j] > 0 ? Distributions.poisson(r, d.readDepth()[j] * a[j] / sum[j]) : 0;
                    String id = String.format(Locale.ROOT, "TAXON%04d", t + 1);
                    w.appendRow(id, row, 0);
                    tw.write(id + '\t' + f(x.prevalence(), 4) + '\t' + f(x.shape(), 4) + '\t' + f(x.weight(), 4) + '\t'
                            + f(x.dietEffect(), 4) + '\n');
                    tick();
                }
                w.commit();
                tw.commit();
            }
        }

        // ---- phenotypes ----------------------------------------------------------------------

        private void phenotypes() throws IOException {
            double h2 = spec.heritability();
            double mod = spec.modules() > 0 ? spec.moduleEffect() : 0;
            double bSmoke = Math.sqrt(SimulationSpec.SMOKING_SHARE);
            double bDiet = -Math.sqrt(SimulationSpec.DIET_SHARE);
            double bAge = Math.sqrt(SimulationSpec.AGE_SHARE);
            double residual = 1 - h2 - mod - SimulationSpec.SMOKING_SHARE - SimulationSpec.DIET_SHARE
                    - SimulationSpec.AGE_SHARE;
            double threshold = Distributions.normalQuantile(1 - spec.prevalence());
            int qtModule = spec.modules() >= 2 ? 1 : 0;
            double qtMod = spec.modules() > 0 ? QT_MODULE : 0;
            double qtResidual = 1 - QT_GENETIC - qtMod - QT_ACTIVITY - QT_AGE;
            try (TableFile p = new TableFile(out.resolve(PHENOTYPES), overwrite);
                 TableFile l = new TableFile(truth.resolve("liability.tsv"), overwrite)) {
                p.write("sample_id\tdisease\tquantitative_trait\n");
                l.write("sample_id\tliability\tgenetic_disease\tgenetic_quantitative_trait\n");
                for (int j = 0; j < n; j++) {
                    SplittableRandom r = Seeds.rng(spec.seed(), "phenotype", j);
                    double smokeZ = (d.smoking()[j] - SMOKING_MEAN) / SMOKING_SD;
                    double ageZ = (d.age()[j] - AGE_MEAN) / AGE_SD;
                    double liability = Math.sqrt(h2) * geneticDisease[j] + bSmoke * smokeZ + bDiet * d.diet()[j]
                            + bAge * ageZ + Math.sqrt(residual) * r.nextGaussian();
                    if (mod > 0) liability += Math.sqrt(mod) * d.factor()[0][j];
                    int disease = liability > threshold ? 1 : 0;
                    double qt = Math.sqrt(QT_GENETIC) * geneticQt[j] - Math.sqrt(QT_ACTIVITY) * d.activity()[j]
                            + Math.sqrt(QT_AGE) * ageZ + Math.sqrt(qtResidual) * r.nextGaussian();
                    if (qtMod > 0) qt += Math.sqrt(qtMod) * d.factor()[qtModule][j];
                    p.write(d.ids()[j] + '\t' + disease + '\t' + f(qt, 4) + '\n');
                    l.write(d.ids()[j] + '\t' + f(liability, 4) + '\t' + f(geneticDisease[j], 4) + '\t'
                            + f(geneticQt[j], 4) + '\n');
                }
                p.commit();
                l.commit();
            }

            Map<String, Object> model = new LinkedHashMap<>();
            Map<String, Object> disease = new LinkedHashMap<>();
            disease.put("model", "liability threshold: liability = sum of terms; disease = 1 when liability > threshold");
            disease.put("prevalence", spec.prevalence());
            disease.put("threshold", threshold);
            List<Map<String, Object>> terms = new ArrayList<>();
            terms.add(term("genetic", "sum over causal_variants.tsv (trait disease) of beta * (dosage - 2p) / sqrt(2p(1-p)), p ancestral",
                    Math.sqrt(h2), h2));
            if (mod > 0) terms.add(term("module_eigengene", "module M1 latent factor (truth/module_factors.tsv)", Math.sqrt(mod), mod));
            terms.add(term("smoking", "(code - " + f(SMOKING_MEAN, 4) + ") / " + f(SMOKING_SD, 4)
                    + ", code never 0, former 1, current 2", bSmoke, SimulationSpec.SMOKING_SHARE));
            terms.add(term("diet_score", "environment.tsv diet_score (protective)", bDiet, SimulationSpec.DIET_SHARE));
            terms.add(term("age", "(age - " + f(AGE_MEAN, 1) + ") / " + f(AGE_SD, 4), bAge, SimulationSpec.AGE_SHARE));
            terms.add(term("residual", "standard normal", Math.sqrt(residual), residual));
            disease.put("terms", terms);
            model.put("disease", disease);
            Map<String, Object> qtm = new LinkedHashMap<>();
            qtm.put("model", "quantitative_trait = sum of terms (mean 0, variance about 1)");
            List<Map<String, Object>> qterms = new ArrayList<>();
            qterms.add(term("genetic", "sum over causal_variants.tsv (trait quantitative_trait), standardized as for disease",
                    Math.sqrt(QT_GENETIC), QT_GENETIC));
            if (qtMod > 0) qterms.add(term("module_eigengene", "module M" + (qtModule + 1) + " latent factor",
                    Math.sqrt(qtMod), qtMod));
            qterms.add(term("physical_activity", "environment.tsv physical_activity", -Math.sqrt(QT_ACTIVITY), QT_ACTIVITY));
            qterms.add(term("age", "standardized as for disease", Math.sqrt(QT_AGE), QT_AGE));
            qterms.add(term("residual", "standard normal", Math.sqrt(qtResidual), qtResidual));
            qtm.put("terms", qterms);
            model.put("quantitative_trait", qtm);
            writeJson(truth.resolve("liability.json"), model);
        }

        private static Map<String, Object> term(String name, String definition, double coefficient, double share) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("term", name);
            t.put("definition", definition);
            t.put("coefficient", coefficient);
            t.put("variance_share", share);
            return t;
        }

        // ---- manifest ------------------------------------------------------------------------

        private Path manifest() throws IOException {
            List<CohortManifest.Layer> layers = new ArrayList<>();
            layers.add(new CohortManifest.Layer("genotypes", "genome", BedWriter.bedPath(out.resolve(GENOTYPES)),
                    CohortManifest.Format.PLINK, "dosage", null));
            if (spec.genes() > 0) layers.add(omx("transcriptome", TRANSCRIPTOME, "counts"));
            if (spec.proteins() > 0) layers.add(omx("proteome", PROTEOME, "intensity"));
            if (spec.metabolites() > 0) layers.add(omx("metabolome", METABOLOME, "intensity"));
            if (spec.taxa() > 0) layers.add(omx("microbiome", MICROBIOME, "counts"));
            CohortManifest m = new CohortManifest(spec.cohort(), spec.seed(), layers, new CohortManifest.Tables(
                    out.resolve(COVARIATES), out.resolve(PHENOTYPES), out.resolve(ENVIRONMENT), truth));
            Path file = out.resolve(MANIFEST);
            m.write(file, overwrite);
            return file;
        }

        private CohortManifest.Layer omx(String name, String dir, String units) {
            return new CohortManifest.Layer(name, name, out.resolve(dir), CohortManifest.Format.OMX, units, null);
        }

        private void writeJson(Path file, Object value) throws IOException {
            PendingFile.writeText(file, overwrite, w -> w.write(JSON.writeValueAsString(value)));
        }
    }

    /** A text table written under a temporary name, renamed into place by {@link #commit()}. */
    private static final class TableFile implements Closeable {
        private final PendingFile file;
        private final BufferedWriter out;

        TableFile(Path target, boolean overwrite) throws IOException {
            file = PendingFile.create(target, overwrite);
            BufferedWriter w;
            try {
                w = file.newWriter();
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
            out = w;
        }

        void write(String s) throws IOException {
            out.write(s);
        }

        void write(char c) throws IOException {
            out.write(c);
        }

        void commit() throws IOException {
            out.close();
            file.commit();
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } finally {
                file.close();
            }
        }
    }

    static String geneId(int g) {
        return String.format(Locale.ROOT, "GENE%05d", g + 1);
    }

    static String populationName(int k) {
        return "POP" + (k + 1);
    }

    static String batchName(int b) {
        return "B" + (b + 1);
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
