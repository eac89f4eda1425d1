package org.omx.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;
import org.omx.kernels.api.SelfCheck;
import org.omx.kernels.cpu.CpuBackend;

/**
 * Every primitive on the TornadoVM device against the CPU backend (statistics, maps, reductions)
 * or the textbook triple loop in double (GEMM), on odd shapes and strided views. Skips, saying
 * why, where TornadoVM has no device (no SDK options, no OpenCL ICD).
 *
 * <p>Tolerances are the SPI's (see ReferenceSelfCheck): GEMM 1e-5 (float32 sums) and 1e-6
 * (float64 sums) of sum_p |alpha a_ip b_pj| + |beta c_ij|; statistics and reductions 1e-9 relative
 * (double sums, though the order of additions differs from the CPU's); maps 1e-6 relative (the
 * device's math library against java.lang.Math); ranks exact.
 */
class TornadoBackendTest {

    private static TornadoBackend tornado;
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        String why = new TornadoBackendProvider().unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "TornadoVM backend tests skipped: " + why);
        tornado = TornadoBackend.openDefaultDevice();
        cpu = CpuBackend.open(2);
    }

    @AfterAll
    static void close() {
        if (tornado != null) tornado.close();
        if (cpu != null) cpu.close();
    }

    /** A strided view (stride cols + 5, offset 3 floats) of uniform(-1, 1) values, on heap or native memory. */
    static FloatMatrix random(Arena arena, SplittableRandom rnd, int rows, int cols, boolean nativeMemory) {
        long stride = cols + 5;
        long floats = 3 + rows * stride + 1;
        MemorySegment seg = nativeMemory ? arena.allocate(4 * floats, 4) : MemorySegment.ofArray(new float[(int) floats]);
        FloatMatrix m = new FloatMatrix(seg, 12, rows, cols, stride);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    private static double gemmError(Backend backend, Op opA, Op opB, int m, int n, int k, float alpha, float beta,
                                    Accumulation acc, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = opA == Op.N ? random(arena, rnd, m, k, false) : random(arena, rnd, k, m, true);
            FloatMatrix b = opB == Op.N ? random(arena, rnd, k, n, true) : random(arena, rnd, n, k, false);
            FloatMatrix c = random(arena, rnd, m, n, true);
            if (beta == 0f) c.set(m - 1, n - 1, Float.NaN);
            float[] c0 = c.toArray();
            backend.gemm(opA, a, opB, b, alpha, beta, c, acc);
            double worst = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double scale = 0;
                    for (int p = 0; p < k; p++) {
                        double x = opA == Op.N ? a.get(i, p) : a.get(p, i);
                        double y = opB == Op.N ? b.get(p, j) : b.get(j, p);
                        sum += x * y;
                        scale += Math.abs(x * y);
                    }
                    double old = beta == 0f ? 0 : c0[i * n + j];
                    double ref = alpha * sum + beta * old;
                    scale = Math.abs(alpha) * scale + Math.abs(beta * old) + Double.MIN_NORMAL;
                    double e = Math.abs(c.get(i, j) - ref) / scale;
                    worst = Math.max(worst, Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
                }
            }
            return worst;
        }
    }

    @Test
    void self_check_passes_with_both_gemm_kernels() {
        TornadoBackend.GemmKernel original = tornado.gemmKernel();
        try {
            for (TornadoBackend.GemmKernel kernel : TornadoBackend.GemmKernel.values()) {
                tornado.useGemmKernel(kernel);
                SelfCheck check = tornado.selfCheck();
                assertTrue(check.passed(), kernel + ": " + check.items());
            }
        } finally {
            tornado.useGemmKernel(original);
        }
    }

    @Test
    void gemm_odd_shapes_every_transpose_both_kernels() {
        TornadoBackend.GemmKernel original = tornado.gemmKernel();
        try {
            for (TornadoBackend.GemmKernel kernel : TornadoBackend.GemmKernel.values()) {
                tornado.useGemmKernel(kernel);
                int[][] shapes = {{1, 1, 1}, {67, 131, 29}, {130, 65, 300}, {3, 200, 17}};
                long seed = 1;
                for (int[] s : shapes) {
                    for (Op opA : Op.values()) {
                        for (Op opB : Op.values()) {
                            double e32 = gemmError(tornado, opA, opB, s[0], s[1], s[2], 0.5f, -1.25f, Accumulation.FLOAT32, seed++);
                            assertTrue(e32 <= 1e-5, kernel + " float32 " + opA + opB + " " + java.util.Arrays.toString(s) + ": " + e32);
                            double e64 = gemmError(tornado, opA, opB, s[0], s[1], s[2], 1f, 0f, Accumulation.FLOAT64, seed++);
                            assertTrue(e64 <= 1e-6, kernel + " float64 " + opA + opB + " " + java.util.Arrays.toString(s) + ": " + e64);
                        }
                    }
                }
            }
        } finally {
            tornado.useGemmKernel(original);
        }
    }

    @Test
    void gemm_in_blocks_when_buffers_are_small() {
        // 64 * 64 floats per buffer: k is cut into 64-deep slices summed on the host, C into 64 x 64 blocks.
        try (TornadoBackend small = TornadoBackend.openWithBufferLimit(64 * 64)) {
            assertTrue(gemmError(small, Op.N, Op.T, 150, 97, 203, 1f, 0f, Accumulation.FLOAT32, 7) <= 1e-5);
            assertTrue(gemmError(small, Op.T, Op.N, 70, 129, 90, -1f, 2f, Accumulation.FLOAT64, 8) <= 1e-6);
            try (Arena arena = Arena.ofConfined()) {
                FloatMatrix a = random(arena, new SplittableRandom(9), 130, 70, true);
                double[] ref = new double[70];
                double[] got = new double[70];
                cpu.reduce(a, Reduction.SUM, Axis.COLUMNS, ref);
                small.reduce(a, Reduction.SUM, Axis.COLUMNS, got);
                for (int j = 0; j < 70; j++) assertEquals(ref[j], got[j], 1e-9 * 130);
            }
        }
    }

    /** Values around 100 with about one NaN in six, row 2 all NaN, row 3 a single value. */
    private static FloatMatrix withMissing(Arena arena, SplittableRandom rnd, int rows, int cols) {
        FloatMatrix a = random(arena, rnd, rows, cols, true);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                a.set(i, j, (float) (100 + 10 * rnd.nextGaussian()));
                if (rnd.nextInt(6) == 0 || i == 2 || (i == 3 && j > 0)) a.set(i, j, Float.NaN);
            }
        return a;
    }

    private static void assertClose(double ref, double got, double tol, String what) {
        if (Double.isNaN(ref)) {
            assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
            return;
        }
        assertTrue(Math.abs(got - ref) <= tol * Math.max(1, Math.abs(ref)), what + ": expected " + ref + ", got " + got);
    }

    @Test
    void transfer_bandwidth_is_measured_both_ways_on_the_device() {
        org.omx.kernels.api.TransferBandwidth t = tornado.transferBandwidth(4L << 20);
        System.out.println("tornado transfers: " + t);
        assertTrue(t.applicable(), t.method());
        assertEquals(4L << 20, t.bytes());
        // finite and positive; an upper bound would only restate this machine's memory speed
        assertTrue(t.hostToDeviceGBs() > 0 && Double.isFinite(t.hostToDeviceGBs()), t.toString());
        assertTrue(t.deviceToHostGBs() > 0 && Double.isFinite(t.deviceToHostGBs()), t.toString());
    }

    @Test
    void row_mean_variance_matches_cpu() {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = withMissing(arena, new SplittableRandom(3), 37, 1001);
            double[] m1 = new double[37], v1 = new double[37], m2 = new double[37], v2 = new double[37];
            int[] n1 = new int[37], n2 = new int[37];
            cpu.rowMeanVariance(a, m1, v1, n1);
            tornado.rowMeanVariance(a, m2, v2, n2);
            for (int i = 0; i < 37; i++) {
                assertEquals(n1[i], n2[i], "count row " + i);
                assertClose(m1[i], m2[i], 1e-9, "mean row " + i);
                assertClose(v1[i], v2[i], 1e-9, "variance row " + i);
            }
        }
    }

    @Test
    void ranks_match_cpu_exactly() {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(4);
            FloatMatrix a = withMissing(arena, rnd, 13, 57);
            for (int i = 0; i < 13; i++) for (int j = 0; j < 57; j += 3) if (!Float.isNaN(a.get(i, j))) a.set(i, j, rnd.nextInt(4));
            a.set(0, 0, -0f);
            a.set(0, 1, 0f);
            FloatMatrix r1 = random(arena, rnd, 13, 57, false);
            FloatMatrix r2 = random(arena, rnd, 13, 57, true);
            cpu.rowRanks(a, r1);
            tornado.rowRanks(a, r2);
            for (int i = 0; i < 13; i++)
                for (int j = 0; j < 57; j++)
                    assertEquals(r1.get(i, j), r2.get(i, j), 0f, "rank (" + i + "," + j + ")");
        }
    }

    @Test
    void map_every_op_matches_cpu() {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(5);
            for (ElementwiseOp op : ElementwiseOp.values()) {
                FloatMatrix a = random(arena, rnd, 29, 31, true);
                a.set(1, 1, Float.NaN);
                a.set(2, 2, 0f);
                a.set(3, 3, -1.5f);
                FloatMatrix o1 = random(arena, rnd, 29, 31, false);
                FloatMatrix o2 = random(arena, rnd, 29, 31, true);
                double p1 = op == ElementwiseOp.CLAMP ? -0.5 : op == ElementwiseOp.SIGNED_POW ? 0.7 : 1.5;
                double p2 = op == ElementwiseOp.CLAMP ? 0.5 : -3;
                cpu.map(a, op, p1, p2, o1);
                tornado.map(a, op, p1, p2, o2);
                for (int i = 0; i < 29; i++)
                    for (int j = 0; j < 31; j++) {
                        float r = o1.get(i, j);
                        float g = o2.get(i, j);
                        if (Float.isNaN(r) || Float.isInfinite(r)) assertEquals(r, g, op + " at (" + i + "," + j + ")");
                        else assertTrue(Math.abs(g - r) <= 1e-6 * Math.max(Math.abs(r), 1e-30),
                                op + " at (" + i + "," + j + "): " + r + " vs " + g);
                    }
            }
        }
    }

    @Test
    void scale_rows_in_place_matches_cpu() {
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(6);
            FloatMatrix a1 = random(arena, rnd, 41, 77, true);
            a1.set(4, 5, Float.NaN);
            FloatMatrix a2 = random(arena, rnd, 41, 77, false);
            for (int i = 0; i < 41; i++) for (int j = 0; j < 77; j++) a2.set(i, j, a1.get(i, j));
            double[] scale = rnd.doubles(41, -2, 2).toArray();
            double[] shift = rnd.doubles(41, -5, 5).toArray();
            cpu.scaleRows(a1, scale, shift, a1);
            tornado.scaleRows(a2, scale, shift, a2);
            for (int i = 0; i < 41; i++)
                for (int j = 0; j < 77; j++) {
                    float r = a1.get(i, j);
                    float g = a2.get(i, j);
                    if (Float.isNaN(r)) assertTrue(Float.isNaN(g));
                    else assertTrue(Math.abs(g - r) <= 1e-6 * Math.max(Math.abs(r), 1e-30), r + " vs " + g);
                }
        }
    }

    @Test
    void reductions_both_axes_match_cpu() {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = withMissing(arena, new SplittableRandom(7), 23, 45);
            for (int i = 0; i < 23; i++) a.set(i, 5, Float.NaN);
            for (Reduction r : Reduction.values()) {
                for (Axis axis : Axis.values()) {
                    int lines = axis == Axis.ROWS ? 23 : 45;
                    double[] ref = new double[lines];
                    double[] got = new double[lines];
                    cpu.reduce(a, r, axis, ref);
                    tornado.reduce(a, r, axis, got);
                    for (int l = 0; l < lines; l++) assertClose(ref[l], got[l], 1e-9, r + " " + axis + " line " + l);
                }
            }
        }
    }

    @Test
    void devices_report_the_opencl_device() {
        var devices = tornado.devices();
        assertEquals(1, devices.size());
        assertEquals("tornado", devices.getFirst().backend());
        assertTrue(devices.getFirst().computeUnits() > 0);
    }
}
