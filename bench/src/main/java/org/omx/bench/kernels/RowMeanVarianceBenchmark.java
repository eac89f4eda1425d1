package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-row mean and variance (the first pass of every standardization) on each backend by name,
 * transfers included: memory-bound, so the secondary metric {@code gbytes} is input GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class RowMeanVarianceBenchmark {

    @Param({"cpu", "tornado", "cuda"})
    public String backend;

    /** rows x columns of the input, e.g. 20000 genes x 1000 samples. */
    @Param({"20000x1000"})
    public String shape;

    private Arena arena;
    private Backend b;
    private FloatMatrix x;
    private double[] mean;
    private double[] variance;
    private int[] count;
    private double gigabytes;

    @Setup(Level.Trial)
    public void setup() {
        b = BackendUnderTest.open(backend, 0);
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        x = FloatMatrix.allocate(arena, rows, cols);
        GemmShape.fill(x, new SplittableRandom(3));
        mean = new double[rows];
        variance = new double[rows];
        count = new int[rows];
        gigabytes = 4.0 * rows * cols / 1e9;
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbytes;
    }

    @Benchmark
    public void rowMeanVariance(Bytes bytes, Blackhole bh) {
        b.rowMeanVariance(x, mean, variance, count);
        bytes.gbytes += gigabytes;
        bh.consume(variance);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (b != null) b.close();
        if (arena != null) arena.close();
    }
}
