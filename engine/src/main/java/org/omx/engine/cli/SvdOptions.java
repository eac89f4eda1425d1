package org.omx.engine.cli;

import org.omx.engine.factorize.RandomizedSvd;
import picocli.CommandLine.Option;

/** Options of the randomized methods, shared by {@code factorize pca} and {@code factorize svd}. */
public final class SvdOptions {

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "Components (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--oversample", paramLabel = "P", defaultValue = "10", description = "Extra basis columns (default: ${DEFAULT-VALUE}).")
    int oversample;

    @Option(names = "--power-iterations", paramLabel = "Q", defaultValue = "4", description = "Power iterations; passes = Q + 2 (default: ${DEFAULT-VALUE}).")
    int powerIterations;

    @Option(names = "--max-passes", paramLabel = "N", defaultValue = "100", description = "Bound on passes over the data; Q is lowered to fit (default: ${DEFAULT-VALUE}).")
    int maxPasses;

    @Option(names = "--method", paramLabel = "subspace|krylov", defaultValue = "subspace",
            description = "Range finder: HMT subspace iteration or Musco-Musco block Krylov (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the random start (default: ${DEFAULT-VALUE}).")
    long seed;

    RandomizedSvd.Method method() {
        return switch (method) {
            case "subspace" -> RandomizedSvd.Method.SUBSPACE;
            case "krylov", "block-krylov" -> RandomizedSvd.Method.BLOCK_KRYLOV;
            default -> throw new UserException("--method must be subspace or krylov, not " + method);
        };
    }

    RandomizedSvd.Options options(boolean center, boolean scale) {
        return new RandomizedSvd.Options(rank, oversample, powerIterations, method(), center, scale, maxPasses, seed);
    }
}
