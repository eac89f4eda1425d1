package org.omx.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** Builds the command line and runs it; separate from main so tests can call it. */
public final class Cli {

    /** The subcommands of {@code omx}, in the order {@code omx --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ImportCommand.class, InfoCommand.class, ExportCommand.class, NormalizeCommand.class,
            NetworkCommand.class, CorrelateCommand.class, CohortCommand.class, GenotypeCommand.class, FactorizeCommand.class,
            SimulateCommand.class, DevicesCommand.class, BenchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class);

    private Cli() {
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree with only the subcommand named {@code first}, when that is one (other than
     * help): picocli builds every registered command's model by reflection when the tree is made, which
     * for all of omx's commands took most of a second of a cold start. Anything else (an option,
     * a misspelled command, help) gets the whole tree, so listings and suggestions are unchanged.
     */
    static CommandLine commandLine(String first) {
        Class<?> only = null;
        for (Class<?> c : SUBCOMMANDS) {
            Command a = c.getAnnotation(Command.class);
            if (c != CommandLine.HelpCommand.class && (a.name().equals(first) || List.of(a.aliases()).contains(first))) only = c;
        }
        CommandLine cl = new CommandLine(new Omx());
        for (Class<?> c : SUBCOMMANDS) if (only == null || c == only) cl.addSubcommand(c);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }

    public static int run(String... args) {
        return commandLine(args.length > 0 ? args[0] : null).execute(args);
    }
}
