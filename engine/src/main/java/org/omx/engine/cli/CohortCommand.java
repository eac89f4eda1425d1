package org.omx.engine.cli;

import org.omx.engine.cohort.CohortAlign;
import org.omx.engine.cohort.CohortCheck;
import org.omx.io.cohort.CohortManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx cohort check|align MANIFEST}: sample matching across a cohort's layers and tables. */
@Command(name = "cohort", mixinStandardHelpOptions = true,
        description = "Match samples across a cohort's layers and tables (check), or write aligned stores (align).",
        subcommands = {CohortCommand.Check.class, CohortCommand.Align.class})
public final class CohortCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserException("say what to do: omx cohort check MANIFEST, or omx cohort align MANIFEST -o DIR");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Report, per layer and table, the samples present, missing and duplicated, IDs that match no "
                    + "participant (flagging case differences and one-edit typos), and participants in no layer.",
                    "Exit code 0 when clean, 1 when problems were found, 2 on unreadable input."})
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MANIFEST", description = "cohort.yaml (or .json)")
        Path manifest;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            CohortCheck.Report r = CohortCheck.check(CohortManifest.read(manifest));
            System.out.print(r.format());
            return r.clean() ? 0 : 1;
        }
    }

    @Command(name = "align", mixinStandardHelpOptions = true,
            description = {"Write every layer with the same samples in the same order (participant IDs), the tables in "
                    + "that order, and OUT/cohort.yaml. A store already aligned is referenced, not copied."})
    static final class Align implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MANIFEST", description = "cohort.yaml (or .json)")
        Path manifest;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory for the aligned cohort.")
        Path output;

        @Option(names = "--keep", paramLabel = "intersection|union", defaultValue = "intersection",
                description = "Samples in every layer, or in any layer with NaN where one lacks it (default: ${DEFAULT-VALUE}).")
        String keep;

        @Option(names = "--drop-mismatched", description = "Leave out IDs that look like typos or case differences instead of stopping.")
        boolean dropMismatched;

        @Option(names = {"-f", "--force"}, description = "Replace outputs that exist.")
        boolean force;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            boolean union = switch (keep) {
                case "intersection" -> false;
                case "union" -> true;
                default -> throw new UserException("--keep must be intersection or union, not " + keep);
            };
            CohortManifest m = CohortManifest.read(manifest);
            CohortCheck.Report r = CohortCheck.check(m);
            var out = CohortAlign.align(m, r, output, union, dropMismatched, force, common::log);
            long copied = out.stream().filter(o -> !o.referenced()).count();
            System.out.println("wrote " + output.resolve("cohort.yaml") + ": " + out.size() + " layers (" + copied
                    + " written, " + (out.size() - copied) + " referenced in place)");
            return 0;
        }
    }
}
