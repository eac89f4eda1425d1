package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * SGEMM on each backend by name (cpu, tornado, cuda), transfers included: the correlation form
 * X Y^T at a square and the correlation shape. A backend that cannot run here is skipped with one
 * line. Run with TornadoVM's JVM options to include tornado (bench/peers/tornado_vs_cpu.sh shows how):
 * {@code java [tornado options] -jar bench/target/benchmarks.jar BackendGemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class BackendGemmBenchmark {

    @Param({"cpu", "tornado", "cuda"})
    public String backend;

    /** C's rows x C's columns x inner dimension, optionally ":OPS" (see {@link GemmShape}). */
    @Param({"2048x2048x2048:NT", "10000x10000x1000"})
    public String shape;

    private Arena arena;
    private Backend b;
    private GemmShape s;
    private FloatMatrix x;
    private FloatMatrix y;
    private FloatMatrix c;

    @Setup(Level.Trial)
    public void setup() {
        b = BackendUnderTest.open(backend, 0);
        s = GemmShape.parse(shape);
        arena = Arena.ofShared();
        x = s.operandA(arena);
        y = s.operandB(arena);
        c = FloatMatrix.allocate(arena, s.m(), s.n());
    }

    /** Secondary metric: GFLOP performed, which JMH reports per second (GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;
    }

    @Benchmark
    public FloatMatrix gemm(Flops flops) {
        b.gemm(s.opA(), x, s.opB(), y, 1f, 0f, c, Accumulation.FLOAT32);
        flops.gflops += s.flops() * 1e-9;
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (b != null) b.close();
        if (arena != null) arena.close();
    }
}
