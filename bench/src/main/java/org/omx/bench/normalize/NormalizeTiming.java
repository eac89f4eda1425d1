package org.omx.bench.normalize;

import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.Normalization;
import org.omx.engine.normalize.QuantileNormalization;
import org.omx.engine.normalize.Vst;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Times normalizations through the Java API in one JVM, so JVM start-up is not counted (the R side
 * times its calls with system.time inside one R session): for each method, a first (cold, JIT
 * warming) run and a second run, each writing a new store.
 *
 * <pre>java -cp benchmarks.jar org.omx.bench.normalize.NormalizeTiming STORE OUT_DIR THREADS MEMORY_MB logcpm,quantile,vst</pre>
 * Prints one line per method: {@code method cold_seconds warm_seconds}.
 */
public final class NormalizeTiming {

    private NormalizeTiming() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: NormalizeTiming STORE OUT_DIR THREADS MEMORY_MB METHOD[,METHOD...]");
            System.exit(2);
        }
        Path store = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        long memory = Long.parseLong(args[3]) << 20;
        try (MatrixStore in = MatrixStore.open(store);
             Backend backend = Backends.open("cpu", threads, s -> { })) {
            NormalizeContext ctx = new NormalizeContext(backend, memory, (done, total) -> { }, s -> { }, threads);
            for (String m : args[4].split(",")) {
                Normalization n = switch (m) {
                    case "logcpm" -> new LogCpm(true, 2);
                    case "quantile" -> new QuantileNormalization();
                    case "vst" -> new Vst();
                    default -> throw new IllegalArgumentException("unknown method " + m);
                };
                double[] t = new double[2];
                for (int rep = 0; rep < 2; rep++) {
                    long s = System.nanoTime();
                    n.apply(in, outDir.resolve(m + ".omx"), true, ctx);
                    t[rep] = (System.nanoTime() - s) / 1e9;
                }
                System.out.printf(Locale.ROOT, "%s %.3f %.3f%n", m, t[0], t[1]);
            }
        }
    }
}
