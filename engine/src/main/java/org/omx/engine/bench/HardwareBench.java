package org.omx.engine.bench;

import org.omx.engine.network.Correlation;
import org.omx.engine.network.CorrelationMethod;
import org.omx.engine.network.NetworkType;
import org.omx.engine.network.TilePlan;
import org.omx.engine.network.TomType;
import org.omx.engine.network.TopologicalOverlap;
import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.RandomizedSvd;
import org.omx.engine.factorize.StoreRows;
import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.io.InputFormatException;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreDescription;
import org.omx.io.store.StoreWriter;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.DeviceInfo;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.SelfCheck;
import org.omx.kernels.api.TransferBandwidth;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A hardware report for one backend and its device, comparable across nodes: GEMM throughput in the
 * correlation form ({@code A * B^T}, float32) at several sizes against the device's theoretical
 * peak, transfer bandwidth, and the time of each pipeline stage at fixed shapes. Inputs are seeded
 * synthetic data, so two nodes run exactly the same work. The Java API behind {@code omx bench}.
 *
 * <p>Timing: each measurement runs for at least 0.2 s (at least once) to warm up (JIT, kernel compilation, device buffers), then
 * repeats until {@link Shapes#minSeconds()} have passed or three runs are done, and reports the fastest.
 */
public final class HardwareBench {

    /** What is measured, and at which sizes. */
    public record Shapes(String name, List<int[]> gemm, long transferBytes, long mappedBytes, int normGenes,
                         int normSamples, int corrFeatures, int corrSamples, int tomFeatures, double minSeconds,
                         double warmSeconds) {

        /** The standard shapes: GEMM 1024^3, 2048^3, 4096^3 and the correlation shape 10000 x 10000 x 1000. */
        public static Shapes standard() {
            return new Shapes("standard", List.of(new int[]{1024, 1024, 1024}, new int[]{2048, 2048, 2048},
                    new int[]{4096, 4096, 4096}, new int[]{10_000, 10_000, 1_000}), 256L << 20, 256L << 20,
                    32_768, 2_000, 10_000, 1_000, 4_000, 0.5, 3);
        }

        /** The same report in a few seconds on a laptop, at about a tenth of each size. */
        public static Shapes quick() {
            return new Shapes("quick", List.of(new int[]{128, 128, 128}, new int[]{256, 256, 256},
                    new int[]{1_000, 1_000, 100}), 16L << 20, 16L << 20, 2_000, 200, 1_000, 100, 400, 0.05, 1.5);
        }
    }

    public record Gemm(int m, int n, int k, double seconds, double gflops, Double fractionOfPeak) {
    }

    /**
     * Bandwidth between host and device memory, as the backend measures it
     * ({@link Backend#transferBandwidth}): each direction alone, GB/s = 10^9 bytes per second. Null
     * figures where not applicable (the CPU backend computes in host memory), with the reason in
     * {@code method}.
     */
    public record Transfer(String method, long bytes, Double hostToDeviceGBs, Double deviceToHostGBs) {

        static Transfer of(TransferBandwidth t) {
            return new Transfer(t.method(), t.bytes(), finiteOrNull(t.hostToDeviceGBs()), finiteOrNull(t.deviceToHostGBs()));
        }

        private static Double finiteOrNull(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /** One pipeline stage; {@code seconds} is null where the stage is not available, with a note why. */
    public record Stage(String stage, String shape, Double seconds, String note) {
    }

    public record DeviceReport(String backend, String device, int computeUnits, long memoryBytes, String version,
                               Double peakGflops, boolean selfCheckPassed, List<Gemm> gemm, Transfer transfer,
                               List<Stage> stages) {
    }

    /** Reading a memory-mapped store from disk, once it is in the page cache (nothing is dropped). */
    public record MappedRead(long bytes, double seconds, double gbPerSecond, String note) {
    }

    private HardwareBench() {
    }

    /** Writes a seeded store of counts of about {@code bytes} (genes x samples floats) for the read and normalize figures. */
    public static Path writeCountsStore(Path target, int genes, int samples) throws IOException {
        List<String> sampleIds = IntStream.range(0, samples).mapToObj(i -> "s" + i).toList();
        SplittableRandom rnd = new SplittableRandom(1);
        double[] depth = rnd.doubles(samples, 0.5, 1.5).toArray();
        float[] row = new float[samples];
        try (StoreWriter w = StoreWriter.create(target, sampleIds, StoreDescription.of("bench", "transcriptomics", "counts"), true)) {
            for (int g = 0; g < genes; g++) {
                double mean = Math.exp(2 + 2 * rnd.nextGaussian());
                for (int s = 0; s < samples; s++) row[s] = (float) Math.floor(mean * depth[s] * rnd.nextDouble(0.5, 1.5));
                row[rnd.nextInt(samples)] += 1; // no all-zero gene
                w.appendRow("g" + g, row, 0);
            }
            w.commit();
        }
        return target;
    }

    /** Reads every float of the store through its mapping, twice, and reports the faster pass. */
    public static MappedRead mappedRead(Path store) throws IOException, InputFormatException {
        try (MatrixStore s = MatrixStore.open(store)) {
            MemorySegment data = s.data();
            long floats = data.byteSize() / 4;
            double best = Double.POSITIVE_INFINITY;
            double sink = 0;
            for (int pass = 0; pass < 2; pass++) {
                long t0 = System.nanoTime();
                double sum = 0;
                for (long i = 0; i < floats; i++) sum += data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                sink += sum;
            }
            if (sink == 42.4242) System.out.print(""); // keeps the sums alive
            return new MappedRead(data.byteSize(), best, data.byteSize() / best / 1e9,
                    "warm: the store was just written, so it is read from the page cache (no caches dropped); one thread");
        }
    }

    /** Runs every measurement on {@code backend}; stage inputs and scratch stores go under {@code workDir}. */
    public static DeviceReport run(Backend backend, Shapes shapes, Path counts, Path workDir, int threads, long memoryBytes,
                                   Consumer<String> log) throws IOException, InputFormatException {
        DeviceInfo d = backend.devices().getFirst();
        SelfCheck check = backend.selfCheck();
        Double peak = Double.isNaN(d.peakGflops()) ? null : d.peakGflops();
        List<Gemm> gemms = new ArrayList<>();
        log.accept(String.format(Locale.ROOT, "%s: warming up for %.1f s (JIT and kernel compilation)", backend.name(), shapes.warmSeconds()));
        warmUp(backend, shapes.warmSeconds());
        for (int[] s : shapes.gemm()) {
            log.accept(String.format(Locale.ROOT, "%s: GEMM %d x %d x %d", backend.name(), s[0], s[1], s[2]));
            double sec = gemmSeconds(backend, s[0], s[1], s[2], shapes.minSeconds());
            double gflops = 2.0 * s[0] * s[1] * s[2] / sec / 1e9;
            gemms.add(new Gemm(s[0], s[1], s[2], sec, gflops, peak == null ? null : gflops / peak));
        }
        log.accept(backend.name() + ": transfer bandwidth");
        Transfer transfer = Transfer.of(backend.transferBandwidth(shapes.transferBytes()));
        List<Stage> stages = new ArrayList<>();
        log.accept(backend.name() + ": pipeline stages");
        stages.add(normalizeStage(backend, shapes, counts, workDir, memoryBytes));
        stages.add(correlationStage(backend, shapes, threads));
        stages.add(tomStage(backend, shapes, threads, memoryBytes));
        stages.add(factorizationStage(backend, shapes, workDir, memoryBytes));
        return new DeviceReport(backend.name(), d.name(), d.computeUnits(), d.memoryBytes(), d.version(), peak,
                check.passed(), gemms, transfer, stages);
    }

    /**
     * Square 512 GEMMs for {@code seconds}: the first measurement otherwise times the JIT (the Vector
     * API is very slow before C2 compiles it, more so on a loaded machine) rather than the device.
     */
    private static void warmUp(Backend b, double seconds) {
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(0);
            FloatMatrix a = random(arena, rnd, 512, 512);
            FloatMatrix c = new FloatMatrix(arena.allocate(4L * 512 * 512, 64), 0, 512, 512, 512);
            long t0 = System.nanoTime();
            do b.gemm(Op.N, a, Op.T, a, 1f, 0f, c, Accumulation.FLOAT32);
            while ((System.nanoTime() - t0) / 1e9 < seconds);
        }
    }

    private interface Work {
        void run();
    }

    /** Fastest of the timed runs after warm-up runs (at least one, and at least 0.2 s: JIT and kernel compilation). */
    static double best(Work w, double minSeconds) {
        long warm = System.nanoTime();
        for (int r = 0; r < 20; r++) {
            w.run();
            if ((System.nanoTime() - warm) / 1e9 >= 0.2) break;
        }
        double best = Double.POSITIVE_INFINITY;
        long start = System.nanoTime();
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            w.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            if ((System.nanoTime() - start) / 1e9 >= minSeconds) break;
        }
        return best;
    }

    private static FloatMatrix random(Arena arena, SplittableRandom rnd, int rows, int cols) {
        FloatMatrix m = new FloatMatrix(arena.allocate(4L * rows * cols, 64), 0, rows, cols, cols);
        float[] row = new float[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) row[j] = (float) rnd.nextGaussian();
            m.setRow(i, row, 0);
        }
        return m;
    }

    private static double gemmSeconds(Backend b, int m, int n, int k, double minSeconds) {
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(m * 31L + k);
            FloatMatrix a = random(arena, rnd, m, k);
            FloatMatrix bt = random(arena, rnd, n, k);
            FloatMatrix c = new FloatMatrix(arena.allocate(4L * m * n, 64), 0, m, n, n);
            return best(() -> b.gemm(Op.N, a, Op.T, bt, 1f, 0f, c, Accumulation.FLOAT32), minSeconds);
        }
    }

    private static Stage normalizeStage(Backend b, Shapes shapes, Path counts, Path workDir, long memoryBytes)
            throws IOException, InputFormatException {
        NormalizeContext ctx = new NormalizeContext(b, memoryBytes, Progress.NONE, s -> { });
        Path out = workDir.resolve("logcpm-" + b.name() + ".omx");
        try (MatrixStore s = MatrixStore.open(counts)) {
            new LogCpm(true, 2).apply(s, out, true, ctx); // warm-up
            long t0 = System.nanoTime();
            new LogCpm(true, 2).apply(s, out, true, ctx);
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Stage("normalize", shapes.normGenes() + " genes x " + shapes.normSamples() + " samples", sec,
                    "TMM log-CPM, store to store");
        }
    }

    /** Randomized PCA (k = 10, default passes) of the log-CPM store the normalize stage wrote. */
    private static Stage factorizationStage(Backend b, Shapes shapes, Path workDir, long memoryBytes)
            throws IOException, InputFormatException {
        FactorizeContext ctx = new FactorizeContext(b, memoryBytes, Progress.NONE, s -> { });
        RandomizedSvd.Options options = RandomizedSvd.Options.pca(10);
        try (MatrixStore s = MatrixStore.open(workDir.resolve("logcpm-" + b.name() + ".omx"))) {
            RandomizedSvd.compute(new StoreRows(s), options, ctx); // warm-up
            long t0 = System.nanoTime();
            RandomizedSvd.compute(new StoreRows(s), options, ctx);
            double sec = (System.nanoTime() - t0) / 1e9;
            return new Stage("factorization", shapes.normGenes() + " genes x " + shapes.normSamples() + " samples", sec,
                    "randomized PCA, k = 10, " + RandomizedSvd.plannedPasses(options) + " passes over the store");
        }
    }

    private static Stage correlationStage(Backend b, Shapes shapes, int threads) {
        int g = shapes.corrFeatures();
        int n = shapes.corrSamples();
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = random(arena, new SplittableRandom(2), g, n);
            List<String> ids = IntStream.range(0, g).mapToObj(i -> "f" + i).toList();
            FloatMatrix r = new FloatMatrix(arena.allocate(4L * g * g, 64), 0, g, g, g);
            double sec = best(() -> {
                try (Correlation c = Correlation.standardize(b, x, ids, CorrelationMethod.PEARSON, 1, threads)) {
                    c.block(b, 0, 0, r);
                }
            }, 0);
            return new Stage("correlation", g + " features x " + n + " samples", sec, "Pearson, all pairs, in memory");
        }
    }

    private static Stage tomStage(Backend b, Shapes shapes, int threads, long memoryBytes) {
        int g = shapes.tomFeatures();
        int n = shapes.corrSamples();
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = random(arena, new SplittableRandom(3), g, n);
            List<String> ids = IntStream.range(0, g).mapToObj(i -> "f" + i).toList();
            FloatMatrix a = new FloatMatrix(arena.allocate(4L * g * g, 64), 0, g, g, g);
            FloatMatrix t = new FloatMatrix(arena.allocate(4L * g * g, 64), 0, g, g, g);
            TilePlan plan = TilePlan.plan(g, n, memoryBytes);
            double sec = best(() -> {
                try (Correlation c = Correlation.standardize(b, x, ids, CorrelationMethod.PEARSON, 1, threads)) {
                    double[] k = TopologicalOverlap.adjacency(b, c, NetworkType.UNSIGNED, TomType.UNSIGNED, 6, plan, a, threads, p -> { });
                    TopologicalOverlap.tom(b, a, k, TomType.UNSIGNED, plan, t, threads, p -> { });
                }
            }, 0);
            return new Stage("TOM", g + " features x " + n + " samples", sec,
                    "correlation, unsigned adjacency (power 6) and unsigned TOM, tiles of " + plan.blockRows() + " rows");
        }
    }
}
