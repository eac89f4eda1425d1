package org.omx.kernels.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** The choice among backends, host side, with fake providers: every way a backend can fail is one log line under auto. */
class BackendsTest {

    /** A backend that computes nothing; only its self-check outcome and closing matter here. */
    static final class FakeBackend implements Backend {
        final String name;
        final Supplier<SelfCheck> check;
        boolean closed;

        FakeBackend(String name, Supplier<SelfCheck> check) {
            this.name = name;
            this.check = check;
        }

        @Override public String name() { return name; }
        @Override public List<DeviceInfo> devices() { return List.of(new DeviceInfo(name, "fake", 1, -1, "none", Double.NaN)); }
        @Override public void gemm(Op opA, FloatMatrix a, Op opB, FloatMatrix b, float alpha, float beta, FloatMatrix c, Accumulation acc) { throw new UnsupportedOperationException(); }
        @Override public void rowMeanVariance(FloatMatrix a, double[] mean, double[] variance, int[] count) { throw new UnsupportedOperationException(); }
        @Override public void rowRanks(FloatMatrix a, FloatMatrix out) { throw new UnsupportedOperationException(); }
        @Override public void map(FloatMatrix a, ElementwiseOp op, double p1, double p2, FloatMatrix out) { throw new UnsupportedOperationException(); }
        @Override public void scaleRows(FloatMatrix a, double[] scale, double[] shift, FloatMatrix out) { throw new UnsupportedOperationException(); }
        @Override public void reduce(FloatMatrix a, Reduction reduction, Axis axis, double[] out) { throw new UnsupportedOperationException(); }
        @Override public SelfCheck selfCheck() { return check.get(); }
        @Override public void close() { closed = true; }
    }

    /** A provider with a fixed reason (null = available) and a factory that may throw. */
    record FakeProvider(String name, int priority, String unavailableReason, Supplier<Backend> factory) implements BackendProvider {
        @Override public Backend open(int threads) { return factory.get(); }
    }

    static final SelfCheck PASS = SelfCheck.of(List.of(new SelfCheck.Item("gemm", 1e-7, 1e-5, true)));
    static final SelfCheck FAIL = SelfCheck.of(List.of(new SelfCheck.Item("gemm NN float32", 1e-7, 1e-5, true),
            new SelfCheck.Item("rowRanks", 1.0, 0, false)));

    static FakeProvider working(String name, int priority) {
        return new FakeProvider(name, priority, null, () -> new FakeBackend(name, () -> PASS));
    }

    @Test
    void auto_takes_the_first_provider_that_passes_and_says_why() {
        List<String> log = new ArrayList<>();
        Backend b = Backends.open("auto", 1, log::add, List.of(working("gpu", 20), working("cpu", 0)));
        assertEquals("gpu", b.name());
        assertEquals(List.of("backend gpu chosen (highest priority that passed its self-check)"), log);
    }

    @Test
    void auto_falls_back_with_one_line_per_skipped_backend() {
        FakeBackend failing = new FakeBackend("badcheck", () -> FAIL);
        List<BackendProvider> providers = List.of(
                new FakeProvider("absent", 30, "no libcuda.so.1 (NVIDIA driver not installed)", () -> fail("opened an unavailable backend")),
                new FakeProvider("throws", 25, null, () -> { throw new IllegalStateException("CUDA_ERROR_OUT_OF_MEMORY\n\tat native frame"); }),
                new FakeProvider("linkage", 24, null, () -> { throw new UnsatisfiedLinkError("libOpenCL.so: cannot open shared object file"); }),
                new FakeProvider("badcheck", 22, null, () -> failing),
                new FakeProvider("checkthrows", 21, null, () -> new FakeBackend("checkthrows", () -> { throw new ArithmeticException(); })),
                new BackendProvider() {
                    @Override public String name() { return "probethrows"; }
                    @Override public int priority() { return 21; }
                    @Override public String unavailableReason() { throw new IllegalStateException("driver query failed"); }
                    @Override public Backend open(int threads) { return fail("opened a backend whose probe threw"); }
                },
                working("cpu", 0));
        List<String> log = new ArrayList<>();
        Backend b = Backends.open("auto", 1, log::add, providers);
        assertEquals("cpu", b.name());
        assertEquals(List.of(
                "backend absent skipped: no libcuda.so.1 (NVIDIA driver not installed)",
                "backend throws skipped: failed to start: CUDA_ERROR_OUT_OF_MEMORY",
                "backend linkage skipped: failed to start: libOpenCL.so: cannot open shared object file",
                "backend badcheck skipped: self-check failed: rowRanks: max error 1.00e+00 (tolerance 0e+00) FAILED",
                "backend checkthrows skipped: self-check failed: threw ArithmeticException",
                "backend probethrows skipped: probe failed: driver query failed",
                "backend cpu chosen (highest priority that passed its self-check)"), log);
        assertTrue(failing.closed, "a backend that failed its self-check is closed");
        for (String line : log) assertFalse(line.contains("\n") || line.contains("\tat "), "one line, no stack trace: " + line);
    }

    @Test
    void auto_with_nothing_usable_is_a_clear_error() {
        var e = assertThrows(BackendUnavailableException.class, () -> Backends.open("auto", 1, s -> { },
                List.of(new FakeProvider("gpu", 20, "no device", null))));
        assertTrue(e.getMessage().startsWith("no backend available"), e.getMessage());
    }

    @Test
    void a_named_backend_that_cannot_run_is_one_clear_error() {
        List<BackendProvider> providers = List.of(
                new FakeProvider("cuda", 20, "no libcuda.so.1 (NVIDIA driver not installed)", null),
                new FakeProvider("tornado", 10, null, () -> { throw new IllegalStateException("no OpenCL platform"); }),
                new FakeProvider("bad", 5, null, () -> new FakeBackend("bad", () -> FAIL)),
                working("cpu", 0));
        assertEquals("backend 'cuda' cannot run here: no libcuda.so.1 (NVIDIA driver not installed)",
                assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda", 1, s -> { }, providers)).getMessage());
        assertEquals("backend 'tornado' failed to start: no OpenCL platform",
                assertThrows(BackendUnavailableException.class, () -> Backends.open("tornado", 1, s -> { }, providers)).getMessage());
        assertEquals("backend 'bad' failed its self-check: rowRanks: max error 1.00e+00 (tolerance 0e+00) FAILED",
                assertThrows(BackendUnavailableException.class, () -> Backends.open("bad", 1, s -> { }, providers)).getMessage());
        assertEquals("backend 'opencl' is not installed (have: cuda, tornado, bad, cpu)",
                assertThrows(BackendUnavailableException.class, () -> Backends.open("opencl", 1, s -> { }, providers)).getMessage());
        assertEquals("cpu", Backends.open("cpu", 1, s -> { }, providers).name());
    }
}
