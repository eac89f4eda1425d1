package org.omx.kernels.tornado;

import java.lang.foreign.Arena;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.cpu.CpuBackend;

/**
 * GFLOP/s of the correlation GEMM (C = A B^T, A m x k, B n x k, k = 1000) on the TornadoVM device
 * beside the CPU backend, in the same JVM. Runs only when asked:
 * {@code ./mvnw -o -pl kernels/tornado -am test -Dtest=GemmThroughputTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Domx.bench=2000,4000 [-Domx.bench.kernel=PANEL16,ROW_BLOCKED]}
 * (sizes m = n; the time includes packing, transfers and unpacking, as the engine sees it).
 */
class GemmThroughputTest {

    @Test
    void correlation_gemm_gflops() {
        String sizes = System.getProperty("omx.bench");
        Assumptions.assumeTrue(sizes != null, "benchmark skipped (set -Domx.bench=2000,4000 to run)");
        String why = new TornadoBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "benchmark skipped: " + why);
        int k = Integer.getInteger("omx.bench.k", 1000);
        try (TornadoBackend tornado = TornadoBackend.openDefaultDevice(); CpuBackend cpu = CpuBackend.open(0);
             Arena arena = Arena.ofShared()) {
            String kernels = System.getProperty("omx.bench.kernel", tornado.gemmKernel().name());
            System.out.println("device: " + tornado.devices().getFirst());
            for (String s : sizes.split(",")) {
                int n = Integer.parseInt(s.trim());
                FloatMatrix a = FloatMatrix.allocate(arena, n, k);
                FloatMatrix b = FloatMatrix.allocate(arena, n, k);
                FloatMatrix c = FloatMatrix.allocate(arena, n, n);
                SplittableRandom rnd = new SplittableRandom(n);
                for (int i = 0; i < n; i++)
                    for (int p = 0; p < k; p++) {
                        a.set(i, p, (float) rnd.nextDouble());
                        b.set(i, p, (float) rnd.nextDouble());
                    }
                // CPU and each kernel in turn, twice, keeping the best: a burst of load from elsewhere
                // then penalizes no side alone
                for (int round = 0; round < 2; round++) {
                    double cpuG = gflops(cpu, a, b, c, n, k);
                    for (String kernel : kernels.split(",")) {
                        tornado.useGemmKernel(TornadoBackend.GemmKernel.valueOf(kernel.trim()));
                        double tvG = gflops(tornado, a, b, c, n, k);
                        System.out.printf(Locale.ROOT, "m=n=%d k=%d: cpu %.1f GFLOP/s, tornado (%s) %.1f GFLOP/s, ratio cpu/tornado %.2f, load %s%n",
                                n, k, cpuG, tornado.gemmKernel(), tvG, cpuG / tvG, loadAverage());
                    }
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Best of three after one warm-up call. */
    private static double gflops(Backend backend, FloatMatrix a, FloatMatrix b, FloatMatrix c, int n, int k) {
        backend.gemm(Op.N, a, Op.T, b, 1f, 0f, c, Accumulation.FLOAT32);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            backend.gemm(Op.N, a, Op.T, b, 1f, 0f, c, Accumulation.FLOAT32);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 2.0 * n * n * k / best;
    }
}
