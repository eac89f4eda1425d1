package org.omx.engine.cli;

import org.omx.engine.ingest.ImportRequest;
import org.omx.engine.ingest.Importer;
import org.omx.engine.ingest.InputKind;
import org.omx.io.store.StoreMeta;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omx import FILE -o NAME.omx}: any supported input into a store. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a matrix into a store (NAME.omx).",
                "Inputs: TSV/CSV (plain, gzip, bzip2, xz or zstd, detected by magic bytes), MatrixMarket coordinate, "
                        + "a 10x directory (matrix.mtx[.gz] + features/genes + barcodes), PLINK 1 .bed/.bim/.fam."})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Input file, 10x directory, or PLINK prefix/.bed.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "NAME.omx", description = "Store directory to create.")
    Path output;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "KIND",
            description = "auto, tsv, csv, mtx, 10x or plink (default: ${DEFAULT-VALUE}, detected from the input).")
    String format;

    @ArgGroup(exclusive = true)
    Orientation orientation = new Orientation();

    static final class Orientation {
        @Option(names = "--samples-in-columns", description = "Text: header row holds sample IDs, each line is a feature (default).")
        boolean columns;
        @Option(names = "--samples-in-rows", description = "Text: header row holds feature IDs, each line is a sample; transposed out-of-core.")
        boolean rows;
    }

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Text: field separator: tab, comma or one character (default: detected from the header).")
    String delimiter;

    @Option(names = "--features", paramLabel = "FILE", description = "MatrixMarket: file of row (feature) IDs, first column.")
    Path featureIds;

    @Option(names = "--samples", paramLabel = "FILE", description = "MatrixMarket: file of column (sample) IDs, first column.")
    Path sampleIds;

    @Option(names = "--impute-mean", description = "PLINK: replace missing calls with the variant's mean dosage (default: keep NaN).")
    boolean meanImpute;

    @Option(names = "--layer", paramLabel = "NAME", description = "Layer name (default: the output's name).")
    String layer;

    @Option(names = "--omics-type", paramLabel = "TYPE", description = "genome, transcriptome, proteome, metabolome, microbiome or your own.")
    String omicsType;

    @Option(names = "--units", paramLabel = "TEXT", description = "What the values are, e.g. counts, log2 intensity.")
    String units;

    @Option(names = {"-f", "--force"}, description = "Replace the output store if it exists (only once the new one is complete).")
    boolean force;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        InputKind kind;
        try {
            kind = format.equals("auto") ? null : InputKind.fromName(format);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        Character delim = parseDelimiter(delimiter, format);
        ImportRequest req;
        if (!force && Files.exists(output))
            throw new UserException(output + " exists (use --force to replace it)");
        if (kind == null) kind = InputKind.detect(input);
        req = new ImportRequest(input, output, kind, !orientation.rows, delim, featureIds, sampleIds,
                meanImpute, layer, omicsType, units, force, common.threads(), common.memoryBytes());
        StoreMeta meta;
        try (ProgressBar bar = common.progress("import " + input.getFileName(), kind.progressUnit())) {
            meta = Importer.run(req, bar);
        }
        System.out.println("wrote " + output + ": " + meta.rows() + " features x " + meta.cols() + " samples ("
                + meta.layer() + ", " + meta.omicsType() + ", " + meta.units() + ")");
        return 0;
    }

    private static Character parseDelimiter(String d, String format) {
        if (d == null) {
            if (format.equals("csv")) return ',';
            if (format.equals("tsv")) return '\t';
            return null;
        }
        return switch (d) {
            case "tab", "\\t", "\t" -> '\t';
            case "comma", "," -> ',';
            case "space", " " -> ' ';
            case "semicolon", ";" -> ';';
            default -> {
                if (d.length() != 1) throw new UserException("--delimiter: expected tab, comma or one character, found '" + d + "'");
                yield d.charAt(0);
            }
        };
    }
}
