package org.omx.engine.cli;

import org.omx.io.export.TsvExporter;
import org.omx.io.store.MatrixStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx export STORE -o FILE}: a store back to TSV (gzip when FILE ends in .gz). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a store to TSV (gzip-compressed when the output ends in .gz); missing values become NA.")
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STORE", description = "The store directory (NAME.omx).")
    Path store;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "TSV file to write (.tsv or .tsv.gz), or - for standard output.")
    Path output;

    @Option(names = "--samples-in-rows", description = "Write one line per sample (transposed, out-of-core) instead of one per feature.")
    boolean samplesInRows;

    @Option(names = {"-f", "--force"}, description = "Replace the output file if it exists.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        boolean toStdout = output.toString().equals("-");
        if (!toStdout && !force && Files.exists(output)) throw new UserException(output + " exists (use --force to replace it)");
        try (MatrixStore s = MatrixStore.open(store); ProgressBar bar = common.progress("export " + store.getFileName(), "rows")) {
            if (toStdout) {
                TsvExporter.export(s, System.out, samplesInRows, bar);
                return 0;
            }
            TsvExporter.export(s, output, samplesInRows, bar);
            System.out.println("wrote " + output + ": " + (samplesInRows ? s.cols() + " samples x " + s.rows() + " features"
                    : s.rows() + " features x " + s.cols() + " samples"));
        }
        return 0;
    }
}
