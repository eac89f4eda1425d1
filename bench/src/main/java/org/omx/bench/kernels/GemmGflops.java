package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.FloatMatrix;

/**
 * Quick GEMM timing without JMH, for tuning block sizes:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.omx.bench.kernels.GemmGflops
 * [MxNxK[:OPS] ...] [backend=cpu] [threads=0] [reps=5] [acc=float32]}, e.g. {@code 4096x4096x4096 10000x10000x1000:NT}.
 * Shapes are those of C (m x n) and the inner dimension k; OPS is op(A) op(B), default NN, except
 * that the correlation shape 10000x10000x1000 defaults to NT (X times X^T). Prints the best and the
 * median of the repetitions after two warm-up runs. {@code backend=tornado} needs TornadoVM's JVM
 * options (see bench/peers/tornado_vs_cpu.sh).
 */
public final class GemmGflops {

    private GemmGflops() {
    }

    public static void main(String[] args) {
        int threads = 0;
        String backendName = "cpu";
        int reps = 5;
        Accumulation acc = Accumulation.FLOAT32;
        java.util.List<String> shapes = new java.util.ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("threads=")) threads = Integer.parseInt(arg.substring(8));
            else if (arg.startsWith("backend=")) backendName = arg.substring(8);
            else if (arg.startsWith("reps=")) reps = Integer.parseInt(arg.substring(5));
            else if (arg.startsWith("acc=")) acc = Accumulation.valueOf(arg.substring(4).toUpperCase());
            else shapes.add(arg);
        }
        if (shapes.isEmpty()) shapes = java.util.List.of("4096x4096x4096", "10000x10000x1000");
        try (Backend backend = Backends.open(backendName, threads, System.err::println)) {
            System.out.println(backend + " " + backend.devices());
            for (String shape : shapes) run(backend, shape, reps, acc);
        }
    }

    static void run(Backend backend, String spec, int reps, Accumulation acc) {
        GemmShape s = GemmShape.parse(spec);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix a = s.operandA(arena);
            FloatMatrix b = s.operandB(arena);
            FloatMatrix c = FloatMatrix.allocate(arena, s.m(), s.n());
            double[] secs = new double[reps];
            for (int r = -2; r < reps; r++) {
                long t0 = System.nanoTime();
                backend.gemm(s.opA(), a, s.opB(), b, 1f, 0f, c, acc);
                double dt = (System.nanoTime() - t0) * 1e-9;
                if (r >= 0) secs[r] = dt;
            }
            java.util.Arrays.sort(secs);
            System.out.printf("gemm %s %s%s %s: best %.1f GFLOP/s, median %.1f GFLOP/s (%.3f s)%n", s.label(),
                    s.opA(), s.opB(), acc.name().toLowerCase(), s.flops() / secs[0] * 1e-9,
                    s.flops() / secs[reps / 2] * 1e-9, secs[reps / 2]);
        }
    }
}
