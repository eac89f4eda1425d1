package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;
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
 * SGEMM through the CPU backend at the shapes omx cares about: a square 4096^3 product and the
 * correlation shape, X X^T for a 10000 x 1000 standardized tile (m = n = 10000, k = 1000).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark}.
 * The primary score is GEMMs per second; the secondary metric {@code gflops} (an
 * {@link AuxCounters} operations counter, which JMH divides by the measured time like the primary
 * score) is GFLOP/s directly. By hand: GFLOP/s = score * 2 m n k / 1e9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class GemmBenchmark {

    /** C's rows x C's columns x inner dimension, optionally ":OPS" (see {@link GemmShape}). */
    @Param({"4096x4096x4096", "10000x10000x1000"})
    public String shape;

    @Param({"0"})
    public int threads;

    @Param({"FLOAT32"})
    public Accumulation accumulation;

    private Arena arena;
    private Backend backend;
    private GemmShape s;
    private FloatMatrix a;
    private FloatMatrix b;
    private FloatMatrix c;

    @Setup(Level.Trial)
    public void setup() {
        s = GemmShape.parse(shape);
        arena = Arena.ofShared();
        backend = Backends.open("cpu", threads, System.err::println);
        a = s.operandA(arena);
        b = s.operandB(arena);
        c = FloatMatrix.allocate(arena, s.m(), s.n());
    }

    /** Secondary metric: GFLOP performed, reported by JMH as a rate ("gflops" per second = GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;
    }

    @Benchmark
    public FloatMatrix gemm(Flops flops) {
        backend.gemm(s.opA(), a, s.opB(), b, 1f, 0f, c, accumulation);
        flops.gflops += s.flops() * 1e-9;
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }
}
