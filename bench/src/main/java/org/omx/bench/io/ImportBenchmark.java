package org.omx.bench.io;

import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.StoreLayout;
import org.omx.io.store.StoreMeta;
import org.omx.io.text.DelimitedImporter;
import org.omx.io.text.TextImportOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Time to import a TSV expression table (plain and gzip) into a store. Throughput in MB/s is the
 * decompressed size divided by the time per operation; bench/peers/import_vs_gzip.sh prints it
 * beside the time of {@code gzip -dc}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar ImportBenchmark -p sizeMb=256}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g", "-XX:+UseSerialGC"})
public class ImportBenchmark {

    /** Samples (columns) of the generated table; rows are added until the size is reached. */
    static final int SAMPLES = 1000;

    @Param({"plain", "gzip"})
    public String compression;

    /** Approximate size of the uncompressed TSV in MB (10^6 bytes). */
    @Param({"256"})
    public int sizeMb;

    /** Where the input files live (kept between runs); empty for a fresh temporary directory. */
    @Param({""})
    public String dataDir;

    private Path dir;
    private boolean ownDir;
    private Path input;
    private Path output;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        ownDir = dataDir.isEmpty();
        dir = ownDir ? Files.createTempDirectory("omx-import-bench") : Files.createDirectories(Path.of(dataDir));
        Path tsv = ensureTsv(dir, sizeMb);
        input = compression.equals("gzip") ? ensureGzip(tsv) : tsv;
        output = dir.resolve("bench-out.omx");
        System.out.println("# input " + input + ": " + Files.size(input) + " bytes, uncompressed " + Files.size(tsv));
    }

    @TearDown(Level.Invocation)
    public void deleteOutput() {
        StoreLayout.deleteTree(output);
    }

    @TearDown(Level.Trial)
    public void deleteInputs() {
        if (ownDir) StoreLayout.deleteTree(dir);
    }

    @Benchmark
    public StoreMeta importTsv() throws IOException, InputFormatException {
        return DelimitedImporter.importFile(input, output, TextImportOptions.defaults(), Progress.NONE);
    }

    /** {@code expr-<size>MB.tsv} in {@code dir}, generated once. */
    static Path ensureTsv(Path dir, int sizeMb) throws IOException {
        Path tsv = dir.resolve("expr-" + sizeMb + "MB.tsv");
        if (Files.exists(tsv)) return tsv;
        Path tmp = Files.createTempFile(dir, "gen", ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            writeTable(out, (long) sizeMb * 1_000_000L, new SplittableRandom(20240501));
        }
        Files.move(tmp, tsv, StandardCopyOption.ATOMIC_MOVE);
        return tsv;
    }

    /** {@code <tsv>.gz} at gzip's default level 6, generated once. */
    static Path ensureGzip(Path tsv) throws IOException {
        Path gz = tsv.resolveSibling(tsv.getFileName() + ".gz");
        if (Files.exists(gz)) return gz;
        Path tmp = Files.createTempFile(tsv.getParent(), "gz", ".tmp");
        try (InputStream in = Files.newInputStream(tsv);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            in.transferTo(out);
        }
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
        return gz;
    }

    /**
     * A features x samples table of expression-like values in the spellings tools write: log
     * intensities with 4 decimals (12.3456), small abundances (0.000123), scientific notation
     * (1.5e-3), integer counts, and a few NA.
     */
    static void writeTable(OutputStream out, long targetBytes, SplittableRandom rnd) throws IOException {
        StringBuilder line = new StringBuilder(16 * SAMPLES);
        line.append("gene_id");
        for (int s = 0; s < SAMPLES; s++) line.append('\t').append("SAMPLE_").append(s);
        line.append('\n');
        long written = 0;
        for (long row = 0; written < targetBytes; row++) {
            out.write(line.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            written += line.length();
            line.setLength(0);
            line.append("ENSG").append(10_000_000_000L + row);
            for (int s = 0; s < SAMPLES; s++) {
                line.append('\t');
                int kind = rnd.nextInt(100);
                if (kind < 55) { // log2 intensity, 4 decimals
                    int v = rnd.nextInt(0, 160_000);
                    line.append(v / 10_000).append('.');
                    appendPadded(line, v % 10_000, 4);
                } else if (kind < 75) { // small abundance
                    line.append("0.000");
                    appendPadded(line, rnd.nextInt(1, 1000), 3);
                } else if (kind < 90) { // scientific
                    line.append(rnd.nextInt(1, 10)).append('.').append(rnd.nextInt(0, 10)).append("e-").append(rnd.nextInt(1, 9));
                } else if (kind < 99) { // counts
                    line.append(rnd.nextInt(0, 5000));
                } else {
                    line.append("NA");
                }
            }
            line.append('\n');
        }
    }

    private static void appendPadded(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) sb.append('0');
        sb.append(s);
    }

    /** Creates the input files for the peer script: {@code ImportBenchmark DIR SIZE_MB}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int size = Integer.parseInt(args[1]);
        Path tsv = ensureTsv(dir, size);
        Path gz = ensureGzip(tsv);
        System.out.println(tsv);
        System.out.println(gz);
    }
}
