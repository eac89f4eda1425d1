package org.omx.bench.factorize;

import org.omx.engine.factorize.FactorizeContext;
import org.omx.engine.factorize.Nmf;
import org.omx.engine.factorize.RandomizedSvd;
import org.omx.engine.factorize.StoreRows;
import org.omx.engine.factorize.SvdResult;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Times the factorizations of factorize_vs_sklearn.sh through the Java API in one JVM, so JVM
 * start-up and the JIT's first compilations show separately: the first run (cold) and the best of
 * the following ones (warm), each a complete call as the CLI makes it (NNDSVDA init included).
 *
 * <pre>java -cp benchmarks.jar org.omx.bench.factorize.FactorizeTiming nmf|svd STORE THREADS MEMORY_MB RUNS [subspace|krylov Q]</pre>
 * Prints {@code task cold_seconds warm_seconds}, the process CPU seconds of each (a check on a shared machine) and the result's accuracy figure.
 * svd takes the range finder and power iterations (default subspace 4, the bench's equal-iterations row).
 *
 * <pre>java -cp benchmarks.jar org.omx.bench.factorize.FactorizeTiming svd-match STORE THREADS MEMORY_MB EXACT_SIGMA TARGET</pre>
 * Tries range finders by increasing passes (subspace and block Krylov, Q = 0, 1, ..) and prints the first whose max relative
 * error of sigma1..20 against EXACT_SIGMA (one value a line) is at most TARGET: {@code match METHOD Q PASSES ERROR}.
 *
 * <pre>java -cp benchmarks.jar org.omx.bench.factorize.FactorizeTiming nmf-hals-match STORE THREADS MEMORY_MB TARGET</pre>
 * Runs HALS (NNDSVDA start, 200 iterations) once, takes the first iteration whose reconstruction error is at most
 * TARGET, and times HALS with that many iterations (best of 2, after the search run):
 * {@code hals-match ITERATIONS warm SECONDS reconstruction_err ERROR}.
 */
public final class FactorizeTiming {

    private FactorizeTiming() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 7 && !(args.length == 6 && args[0].equals("svd-match"))
                && !(args.length == 5 && args[0].equals("nmf-hals-match"))) {
            System.err.println("usage: FactorizeTiming nmf|svd STORE THREADS MEMORY_MB RUNS [subspace|krylov Q]\n"
                    + "       FactorizeTiming svd-match STORE THREADS MEMORY_MB EXACT_SIGMA TARGET");
            System.exit(2);
        }
        if (args[0].equals("nmf-hals-match")) {
            halsMatch(args);
            return;
        }
        if (args[0].equals("svd-match")) {
            match(args);
            return;
        }
        RandomizedSvd.Method method = args.length == 7 ? method(args[5]) : RandomizedSvd.Method.SUBSPACE;
        int q = args.length == 7 ? Integer.parseInt(args[6]) : 4;
        String task = args[0];
        int threads = Integer.parseInt(args[2]);
        long memory = Long.parseLong(args[3]) << 20;
        int runs = Integer.parseInt(args[4]);
        try (MatrixStore in = MatrixStore.open(Path.of(args[1]));
             Backend backend = Backends.open("cpu", threads, s -> { })) {
            FactorizeContext ctx = new FactorizeContext(backend, memory, (done, total) -> { }, s -> { }, threads);
            double cold = 0, warm = Double.POSITIVE_INFINITY, coldCpu = 0, warmCpu = Double.POSITIVE_INFINITY;
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            String figure = "";
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime(), cpu0 = os.getProcessCpuTime();
                if (task.equals("nmf-iterations")) {
                    // the 200 iterations alone, from a fixed random start
                    int m = (int) in.rows(), n = in.cols();
                    java.util.Random rng = new java.util.Random(7);
                    double[] w0 = new double[m * 20], h0 = new double[20 * n];
                    for (int i = 0; i < w0.length; i++) w0[i] = rng.nextDouble();
                    for (int i = 0; i < h0.length; i++) h0[i] = rng.nextDouble();
                    Nmf.Result res = Nmf.fit(new StoreRows(in), new Nmf.Options(20, Nmf.Solver.MU_FROBENIUS, Nmf.Init.RANDOM, 200, 0, 1, 42), w0, h0, ctx);
                    figure = String.format(Locale.ROOT, "reconstruction_err %.6g", res.reconstructionError());
                } else if (task.equals("nmf")) {
                    Nmf.Result res = Nmf.fit(new StoreRows(in), new Nmf.Options(20, Nmf.Solver.MU_FROBENIUS, Nmf.Init.NNDSVDA, 200, 0, 1, 42), ctx);
                    figure = String.format(Locale.ROOT, "reconstruction_err %.6g", res.reconstructionError());
                } else {
                    SvdResult res = RandomizedSvd.compute(new StoreRows(in),
                            new RandomizedSvd.Options(20, 10, q, method, false, false, 100, 42), ctx);
                    figure = String.format(Locale.ROOT, "sigma1 %.6g sigma20 %.6g", res.sigma()[0], res.sigma()[19]);
                }
                double t = (System.nanoTime() - s) / 1e9, cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                if (r == 0) {
                    cold = t;
                    coldCpu = cpu;
                } else {
                    warm = Math.min(warm, t);
                    warmCpu = Math.min(warmCpu, cpu);
                }
            }
            System.out.printf(Locale.ROOT, "omx-jvm %s cold %.3f warm %.3f (cpu seconds: cold %.3f warm %.3f) %s%n", task, cold,
                    runs > 1 ? warm : Double.NaN, coldCpu, runs > 1 ? warmCpu : Double.NaN, figure);
        }
    }

    private static RandomizedSvd.Method method(String name) {
        return switch (name) {
            case "subspace" -> RandomizedSvd.Method.SUBSPACE;
            case "krylov" -> RandomizedSvd.Method.BLOCK_KRYLOV;
            default -> throw new IllegalArgumentException("method must be subspace or krylov, not " + name);
        };
    }

    /** The fewest passes (then subspace before Krylov) whose singular values are within TARGET of the exact ones. */
    private static void match(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        long memory = Long.parseLong(args[3]) << 20;
        double[] exact = java.nio.file.Files.readAllLines(Path.of(args[4])).stream().filter(l -> !l.isBlank())
                .mapToDouble(Double::parseDouble).toArray();
        double target = Double.parseDouble(args[5]);
        try (MatrixStore in = MatrixStore.open(Path.of(args[1]));
             Backend backend = Backends.open("cpu", threads, s -> { })) {
            FactorizeContext ctx = new FactorizeContext(backend, memory, (done, total) -> { }, s -> { }, threads);
            for (int q = 0; q <= 8; q++)
                for (String name : new String[]{"subspace", "krylov"}) {
                    SvdResult res = RandomizedSvd.compute(new StoreRows(in),
                            new RandomizedSvd.Options(20, 10, q, method(name), false, false, 100, 42), ctx);
                    double error = 0;
                    for (int j = 0; j < 20; j++) error = Math.max(error, Math.abs(res.sigma()[j] - exact[j]) / exact[j]);
                    System.err.printf(Locale.ROOT, "tried %s q=%d: %d passes, error %.3g%n", name, q, res.passes(), error);
                    if (error <= target) {
                        System.out.printf(Locale.ROOT, "match %s %d %d %.3g%n", name, q, res.passes(), error);
                        return;
                    }
                }
            System.out.println("match none");
        }
    }

    /** HALS iterations needed to reach TARGET reconstruction error, and their time. */
    private static void halsMatch(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        long memory = Long.parseLong(args[3]) << 20;
        double target = Double.parseDouble(args[4]);
        try (MatrixStore in = MatrixStore.open(Path.of(args[1]));
             Backend backend = Backends.open("cpu", threads, s -> { })) {
            FactorizeContext ctx = new FactorizeContext(backend, memory, (done, total) -> { }, s -> { }, threads);
            Nmf.Result search = Nmf.fit(new StoreRows(in), new Nmf.Options(20, Nmf.Solver.HALS, Nmf.Init.NNDSVDA, 200, 0, 1, 42), ctx);
            int iterations = -1;
            for (int i = 0; i < search.trace().size() && iterations < 0; i++)
                if (Math.sqrt(2 * search.trace().get(i)) <= target) iterations = i + 1;
            if (iterations < 0) {
                System.out.printf(Locale.ROOT, "hals-match none (200 iterations: reconstruction_err %.6g)%n", search.reconstructionError());
                return;
            }
            double warm = Double.POSITIVE_INFINITY, error = 0;
            for (int r = 0; r < 5; r++) {
                long s = System.nanoTime();
                Nmf.Result res = Nmf.fit(new StoreRows(in), new Nmf.Options(20, Nmf.Solver.HALS, Nmf.Init.NNDSVDA, iterations, 0, 1, 42), ctx);
                warm = Math.min(warm, (System.nanoTime() - s) / 1e9);
                error = res.reconstructionError();
            }
            System.out.printf(Locale.ROOT, "hals-match %d warm %.3f reconstruction_err %.6g%n", iterations, warm, error);
        }
    }
}
