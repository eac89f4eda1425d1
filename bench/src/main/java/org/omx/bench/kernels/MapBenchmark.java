package org.omx.bench.kernels;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.ElementwiseOp;
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
 * An element-wise map on each backend by name, transfers included: LOG2 (the log transform of
 * log-CPM, transcendental) and AFFINE (pure bandwidth). Secondary metric {@code gbytes}: bytes read
 * plus written per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class MapBenchmark {

    @Param({"cpu", "tornado", "cuda"})
    public String backend;

    @Param({"LOG2", "AFFINE"})
    public ElementwiseOp op;

    /** rows x columns of the input. */
    @Param({"20000x1000"})
    public String shape;

    private Arena arena;
    private Backend b;
    private FloatMatrix x;
    private FloatMatrix out;
    private double gigabytes;

    @Setup(Level.Trial)
    public void setup() {
        b = BackendUnderTest.open(backend, 0);
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        x = FloatMatrix.allocate(arena, rows, cols);
        out = FloatMatrix.allocate(arena, rows, cols);
        GemmShape.fill(x, new SplittableRandom(4));
        gigabytes = 8.0 * rows * cols / 1e9;
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbytes;
    }

    @Benchmark
    public FloatMatrix map(Bytes bytes) {
        b.map(x, op, 1.5, 0.5, out); // LOG2: log2(x + 1.5) (NaN for the few x < -1.5, computed like any value); AFFINE: 1.5 x + 0.5
        bytes.gbytes += gigabytes;
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (b != null) b.close();
        if (arena != null) arena.close();
    }
}
