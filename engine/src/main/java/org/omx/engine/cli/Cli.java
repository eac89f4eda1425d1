package org.omx.engine.cli;

import picocli.CommandLine;

/** Builds the command line and runs it; separate from main so tests can call it. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Omx());
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }
}
