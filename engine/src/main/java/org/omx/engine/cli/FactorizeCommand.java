package org.omx.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code omx factorize pca|svd|nmf|mfa|jnmf|project}: a dispatcher to one class per method. */
@Command(name = "factorize", mixinStandardHelpOptions = true,
        description = "Factorize a store or a PLINK .bed out of core: randomized PCA/SVD, genotype PCA, NMF; project new samples.",
        subcommands = {FactorizePcaCommand.class, FactorizeSvdCommand.class, FactorizeNmfCommand.class, FactorizeMfaCommand.class, FactorizeJnmfCommand.class, FactorizeProjectCommand.class})
public final class FactorizeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
