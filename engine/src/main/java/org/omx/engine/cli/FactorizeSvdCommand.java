package org.omx.engine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code omx factorize svd STORE -k K -o DIR}: truncated SVD, uncentered unless --center. */
@Command(name = "svd", mixinStandardHelpOptions = true,
        description = "Randomized truncated SVD of a store (uncentered unless --center). Same outputs as pca.")
public final class FactorizeSvdCommand extends FactorizePcaCommand {

    @Option(names = "--center", description = "Center features first (then this is PCA).")
    boolean centerFeatures;

    @Override
    boolean center() {
        return centerFeatures;
    }

    @Override
    String name() {
        return "svd";
    }
}
