package org.omx.engine.cli;

import org.omx.engine.simulate.CohortSimulator;
import org.omx.engine.simulate.SimulationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx simulate -o DIR}: a seeded synthetic cohort with its planted truth, streamed to disk. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a multi-omics cohort with planted structure, deterministic for a seed.",
                "Writes genotypes (.bed/.bim/.fam with population structure), transcriptome counts with planted "
                        + "co-expression modules, proteome, metabolome (with missing values), microbiome counts, "
                        + "covariates, environment, phenotypes, the planted truth (truth/) and cohort.yaml."})
public final class SimulateCommand implements Callable<Integer> {

    private static final SimulationSpec D = SimulationSpec.defaults();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write the cohort into (must be empty unless --force).")
    Path output;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: 42).")
    long seed = D.seed();

    @Option(names = "--samples", paramLabel = "N", description = "People (default: 300).")
    int samples = D.samples();

    @Option(names = "--variants", paramLabel = "N", description = "Genotyped variants (default: 2000).")
    int variants = D.variants();

    @Option(names = "--genes", paramLabel = "N", description = "Genes in the transcriptome (default: 1000).")
    int genes = D.genes();

    @Option(names = "--proteins", paramLabel = "N", description = "Proteins (default: 200).")
    int proteins = D.proteins();

    @Option(names = "--metabolites", paramLabel = "N", description = "Metabolites (default: 150).")
    int metabolites = D.metabolites();

    @Option(names = "--taxa", paramLabel = "N", description = "Microbial taxa (default: 100).")
    int taxa = D.taxa();

    @Option(names = {"-f", "--force"}, description = "Write into a non-empty directory, replacing what is there.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        SimulationSpec spec;
        try {
            spec = D.withSeed(seed).withShape(samples, variants, genes, proteins, metabolites, taxa);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        Path manifest;
        try (ProgressBar bar = common.progress("simulate", "rows")) {
            manifest = new CohortSimulator().simulate(spec, output, force, bar);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        System.out.println("wrote a simulated cohort of " + spec.samples() + " people to " + output + " (manifest: " + manifest + ")");
        return 0;
    }
}
