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
 * <pre>java -cp benchmarks.jar org.omx.bench.factorize.FactorizeTiming nmf|svd STORE THREADS MEMORY_MB RUNS</pre>
 * Prints {@code task cold_seconds warm_seconds}, the process CPU seconds of each (a check on a shared machine) and the result's accuracy figure.
 */
public final class FactorizeTiming {

    private FactorizeTiming() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FactorizeTiming nmf|svd STORE THREADS MEMORY_MB RUNS");
            System.exit(2);
        }
        String task = args[0];
        int threads = Integer.parseInt(args[2]);
        long memory = Long.parseLong(args[3]) << 20;
        int runs = Integer.parseInt(args[4]);
        try (MatrixStore in = MatrixStore.open(Path.of(args[1]));
             Backend backend = Backends.open("cpu", threads, s -> { })) {
            FactorizeContext ctx = new FactorizeContext(backend, memory, (done, total) -> { }, s -> { });
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
                            new RandomizedSvd.Options(20, 10, 4, RandomizedSvd.Method.SUBSPACE, false, false, 100, 42), ctx);
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
}
