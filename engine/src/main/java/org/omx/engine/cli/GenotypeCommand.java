package org.omx.engine.cli;

import org.omx.engine.normalize.GenotypeStats;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.StandardizedDosage;
import org.omx.io.plink.BedFile;
import org.omx.io.store.StoreMeta;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx genotype stats FILE.bed -o stats.tsv}: per-variant QC statistics straight from a .bed. */
@Command(name = "genotype", mixinStandardHelpOptions = true,
        description = "Genotype statistics and the standardized dosage, computed on the fly from a PLINK .bed.",
        subcommands = {GenotypeCommand.Stats.class, GenotypeCommand.Standardize.class})
public final class GenotypeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserException("say what to do: omx genotype stats FILE.bed -o stats.tsv, or omx genotype standardize FILE.bed -o z.omx");
    }

    /** Writes the standardized dosage of a .bed to a store; shared with omx normalize FILE.bed -m standardize-dosage. */
    static int standardize(Path bed, Path output, boolean force, CommonOptions common) throws Exception {
        try (BedFile b = BedFile.open(bed);
             Backend backend = Backends.open(common.backend(), common.threads(), common::log);
             ProgressBar bar = common.progress("standardize dosage", "variants")) {
            NormalizeContext ctx = new NormalizeContext(backend, common.memoryBytes(), bar, common::log, common.threads());
            StoreMeta meta = new StandardizedDosage().apply(b, output, force, ctx);
            System.out.println("wrote " + output + ": " + meta.rows() + " variants x " + meta.cols() + " samples, " + meta.units());
        }
        return 0;
    }

    @Command(name = "standardize", mixinStandardHelpOptions = true,
            description = {"The standardized dosage (g - 2p) / sqrt(2p(1 - p)) of every variant, p the A1 frequency over its calls, "
                    + "as used by PCA and GRMs; missing calls and monomorphic variants become 0 (logged). Writes a store."})
    static final class Standardize implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "BED", description = "The .bed (or the fileset prefix); .bim and .fam beside it.")
        Path bed;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The store to write (NAME.omx).")
        Path output;

        @Option(names = {"-f", "--force"}, description = "Replace the output if it exists.")
        boolean force;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            return standardize(bed, output, force, common);
        }
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
