package org.omx.engine.cli;

import org.omx.engine.factorize.Projection;
import org.omx.io.plink.BedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx factorize project BED --loadings DIR/loadings.tsv -o scores.tsv}: new samples onto a reference genotype PCA. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Project the samples of a PLINK .bed onto the components of a reference 'factorize pca' run (its loadings.tsv); "
                + "writes their scores in the reference's units.")
public final class FactorizeProjectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT", description = "PLINK fileset (PREFIX or PREFIX.bed) with the new samples.")
    Path input;

    @Option(names = "--loadings", required = true, paramLabel = "TSV", description = "loadings.tsv of the reference PCA.")
    Path loadings;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "TSV", description = "Scores file to write.")
    Path output;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        // The projection streams the .bed once, one variant at a time (decoding-bound, k multiply-adds
        // per genotype), so it runs on the host whatever --backend says; say so rather than ignore it.
        if (!common.backend().equals("auto") && !common.backend().equals("cpu"))
            common.log("factorize project: runs on the host CPU (a streamed projection of the .bed); --backend "
                    + common.backend() + " does not apply to it");
        try (BedFile bed = BedFile.open(input)) {
            Projection.Result r = Projection.projectGenotypes(loadings, bed, common::log);
            Projection.write(output, r);
            System.out.println("wrote " + output + ": " + r.sampleIds().size() + " samples on " + r.rank() + " components ("
                    + r.matchedVariants() + " variants matched)");
        }
        return 0;
    }
}
