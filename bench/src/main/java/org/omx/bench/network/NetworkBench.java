package org.omx.bench.network;

import org.omx.engine.network.Correlation;
import org.omx.engine.network.CorrelationMethod;
import org.omx.engine.network.NetworkAnalysis;
import org.omx.engine.network.NetworkType;
import org.omx.engine.network.SoftThreshold;
import org.omx.engine.network.TomType;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Plain timing of the network code inside one JVM (no JVM start, no JIT-cold first call in the
 * reported figure), for bench/peers/network_vs_wgcna.sh.
 * <pre>
 *   NetworkBench pipeline STORE OUTDIR [power=6] [threads=2] [memory=4g] [reps=2]
 *       the whole omx network pipeline (power table, adjacency, TOM, clustering, tree cut, eigengenes,
 *       merging, kME) on a store; prints each repetition and the best ("omx pipeline best S s")
 *   NetworkBench corr FEATURES SAMPLES [threads=2] [reps=5]
 *       Pearson correlation of FEATURES x SAMPLES random data: standardize + the whole FEATURES x FEATURES
 *       matrix in memory from its lower triangle of panels (Correlation.symmetric); prints best seconds and
 *       GFLOP/s for the FLOPs performed and for the full product's 2 f^2 s
 * </pre>
 */
public final class NetworkBench {

    private NetworkBench() {
    }

    static String opt(String[] args, String key, String def) {
        for (String a : args) if (a.startsWith(key + "=")) return a.substring(key.length() + 1);
        return def;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipeline" -> pipeline(Path.of(args[1]), Path.of(args[2]), args);
            case "corr" -> corr(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args);
            default -> throw new IllegalArgumentException("pipeline|corr");
        }
    }

    /** CPU time of the whole process (all threads), ns: a load-independent view of the work done. */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long bytes(String s) {
        s = s.toLowerCase(Locale.ROOT);
        long mul = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : 1;
        return (long) (Double.parseDouble(s.replaceAll("[gm]$", "")) * mul);
    }

    static void pipeline(Path store, Path out, String[] args) throws Exception {
        double power = Double.parseDouble(opt(args, "power", "6"));
        int threads = Integer.parseInt(opt(args, "threads", "2"));
        long memory = bytes(opt(args, "memory", "4g"));
        int reps = Integer.parseInt(opt(args, "reps", "2"));
        NetworkAnalysis.Parameters d = NetworkAnalysis.Parameters.defaults();
        NetworkAnalysis.Parameters p = new NetworkAnalysis.Parameters(CorrelationMethod.PEARSON, 1, NetworkType.UNSIGNED, TomType.UNSIGNED,
                power, d.rSquaredCut(), SoftThreshold.DEFAULT_POWERS, 20, 2, false, 0.15, false);
        double best = Double.POSITIVE_INFINITY;
        try (Backend backend = Backends.open("cpu", threads, s -> { }); MatrixStore s = MatrixStore.open(store)) {
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                long c0 = cpu();
                boolean verbose = opt(args, "verbose", "false").equals("true");
                NetworkAnalysis.Result res = NetworkAnalysis.run(backend, s, out, p, threads, memory,
                        x -> { if (verbose) System.out.printf(Locale.ROOT, "  [%.2f s, cpu %.2f s] %s%n", (System.nanoTime() - t0) * 1e-9, (cpu() - c0) * 1e-9, x); },
                        (t, n) -> v -> { });
                double sec = (System.nanoTime() - t0) * 1e-9;
                best = Math.min(best, sec);
                System.out.printf(Locale.ROOT, "omx pipeline rep %d: %.3f s (process cpu %.3f s), %d modules, %d features%n", r + 1, sec, (cpu() - c0) * 1e-9,
                        Arrays.stream(res.labels()).max().orElse(0), res.features().size());
                if (r == reps - 1) {
                    StringBuilder sb = new StringBuilder("feature_id\tmodule\n");
                    for (int i = 0; i < res.features().size(); i++) sb.append(res.features().get(i)).append('\t').append(res.labels()[i]).append('\n');
                    Files.writeString(out.resolve("bench-modules.tsv"), sb);
                }
            }
        }
        System.out.printf(Locale.ROOT, "omx pipeline best %.3f s%n", best);
    }

    static void corr(int features, int samples, String[] args) {
        int threads = Integer.parseInt(opt(args, "threads", "2"));
        int reps = Integer.parseInt(opt(args, "reps", "5"));
        float[] data = new float[features * samples];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        FloatMatrix x = FloatMatrix.wrap(data, features, samples);
        List<String> ids = java.util.stream.IntStream.range(0, features).mapToObj(i -> "F" + i).toList();
        double full = 2.0 * features * features * samples;   // the product of the whole matrix
        boolean fullProduct = opt(args, "mode", "symmetric").equals("full");   // mode=full: one GEMM of the whole matrix, for comparison
        double best = Double.POSITIVE_INFINITY;
        long performed = 0;
        try (Backend backend = Backends.open("cpu", threads, s -> { }); Arena arena = Arena.ofShared()) {
            FloatMatrix out = org.omx.engine.network.AnonymousMemory.allocate(arena, features, features);   // huge pages where available
            for (int r = -1; r < reps; r++) {
                long t0 = System.nanoTime();
                try (Correlation c = Correlation.standardize(backend, x, ids, CorrelationMethod.PEARSON, 1, threads)) {
                    if (fullProduct) {
                        c.block(backend, 0, 0, out);
                        performed = (long) full;
                    } else {
                        performed = c.symmetric(backend, out, threads);
                    }
                }
                double sec = (System.nanoTime() - t0) * 1e-9;
                if (r >= 0) best = Math.min(best, sec);
                System.out.printf(Locale.ROOT, "omx corr %dx%d rep %d: %.3f s (%.1f GFLOP/s performed)%n", features, samples, r + 1, sec, performed / sec * 1e-9);
            }
            System.out.printf(Locale.ROOT, "omx corr best %.3f s, %.1f GFLOP/s performed (%.3g FLOPs: triangle panels), %.1f GFLOP/s full-matrix equivalent (%.3g FLOPs); "
                            + "r[0,1] = %.4f, r[last,0] = r[0,last]: %s%n", best, performed / best * 1e-9, (double) performed, full / best * 1e-9, full,
                    out.get(0, 1), out.get(features - 1, 0) == out.get(0, features - 1));
        }
    }
}
