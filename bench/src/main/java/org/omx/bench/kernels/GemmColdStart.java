package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.Locale;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

/**
 * Cold-start cost of the CPU GEMM: run in a fresh JVM, it times the backend open, then the first,
 * second and third call of one GEMM (the first runs while the JIT is still compiling the kernels),
 * each with the process CPU time it took (JIT compiler threads included):
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.omx.bench.kernels.GemmColdStart [5000x5000x500:NT] [threads=2] [calls=3]}.
 */
public final class GemmColdStart {

    private GemmColdStart() {
    }

    public static void main(String[] args) {
        String spec = "5000x5000x500:NT";
        int threads = 2;
        int calls = 3;
        for (String arg : args) {
            if (arg.startsWith("threads=")) threads = Integer.parseInt(arg.substring(8));
            else if (arg.startsWith("calls=")) calls = Integer.parseInt(arg.substring(6));
            else spec = arg;
        }
        GemmShape s = GemmShape.parse(spec);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix a = s.operandA(arena);
            FloatMatrix b = s.operandB(arena);
            FloatMatrix c = FloatMatrix.allocate(arena, s.m(), s.n());
            long t0 = System.nanoTime();
            long open0 = GemmGflops.processCpu();
            try (Backend backend = Backends.open("cpu", threads, msg -> { })) {
                System.out.printf(Locale.ROOT, "backend open %.3f s, process cpu %.2f s (JVM up %.2f s)%n", (System.nanoTime() - t0) * 1e-9,
                        (GemmGflops.processCpu() - open0) * 1e-9,
                        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3);
                for (int call = 1; call <= calls; call++) {
                    long t = System.nanoTime();
                    long c0 = GemmGflops.processCpu();
                    backend.gemm(s.opA(), a, s.opB(), b, 1f, 0f, c, Accumulation.FLOAT32);
                    double sec = (System.nanoTime() - t) * 1e-9;
                    System.out.printf(Locale.ROOT, "gemm %s %s%s call %d: %.3f s (%.1f GFLOP/s), process cpu %.2f s, ended at JVM uptime %.2f s%n", s.label(), s.opA(), s.opB(),
                            call, sec, s.flops() / sec * 1e-9, (GemmGflops.processCpu() - c0) * 1e-9, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3);
                }
            }
        }
    }
}
