package org.omx.engine.cli;

import picocli.CommandLine;

/** Builds the command line and runs it; separate from main so tests can call it. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Omx());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }
}
