package org.omx.engine.cli;

import org.omx.engine.normalize.GenotypeStats;
import org.omx.io.plink.BedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx genotype stats FILE.bed -o stats.tsv}: per-variant QC statistics straight from a .bed. */
@Command(name = "genotype", mixinStandardHelpOptions = true,
        description = "Genotype statistics computed on the fly from a PLINK .bed (the standardized dosage is "
                + "omx normalize --method standardize-dosage on an imported store; genotype PCA reads the .bed directly).",
        subcommands = {GenotypeCommand.Stats.class})
public final class GenotypeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserException("say what to do: omx genotype stats FILE.bed -o stats.tsv");
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Per variant: A1 allele frequency (A1: the .bim's fifth column, plink2's ALT), call rate, "
                    + "Hardy-Weinberg exact test p-value (as plink2 --hardy, midp off) and genotype counts; "
                    + "agrees with plink2 --freq --missing --hardy.",
                    "Columns: variant_id a1 a2 a1_freq call_rate hwe_p n_a1a1 n_a1a2 n_a2a2 n_missing; NA where a variant has no call."})
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BED", description = "The .bed (or the fileset prefix); .bim and .fam beside it.")
        Path bed;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "TSV", description = "Where to write the table.")
        Path output;

        @Option(names = {"-f", "--force"}, description = "Replace the output if it exists.")
        boolean force;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            try (BedFile b = BedFile.open(bed); ProgressBar bar = common.progress("genotype stats", "variants")) {
                GenotypeStats.write(b, output, force, bar);
                System.out.println("wrote " + output + ": " + b.nVariants() + " variants, " + b.nSamples() + " samples");
            }
            return 0;
        }
    }
}
