package org.omx.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code omx} command: a thin dispatcher to one class per subcommand (registered by {@link Cli}). */
@Command(name = "omx", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "GPU-accelerated compute engine for population-scale multi-omics analysis.")
public final class Omx implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
