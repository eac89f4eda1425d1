package org.omx.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.omx.engine.network.AdjustedRandIndex;
import org.omx.engine.network.Correlation;
import org.omx.engine.network.CorrelationMethod;
import org.omx.engine.network.NetworkAnalysis;
import org.omx.engine.normalize.LogCpm;
import org.omx.engine.normalize.NormalizeContext;
import org.omx.engine.normalize.ZScore;
import org.omx.engine.simulate.CohortSimulator;
import org.omx.engine.simulate.SimulationSpec;
import org.omx.io.Progress;
import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.Backends;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every backend that can run in this JVM gives the CPU backend's results, within tolerance, for the
 * primitives on matrices larger than the self-check's and for two whole pipelines on a simulated
 * cohort: TMM log-CPM and z-score normalization, and the correlation network (correlations, TOM,
 * modules). A backend that cannot run here is a skipped test whose message says why (with a TornadoVM
 * SDK present the build runs this class once more in a JVM with TornadoVM's options, so the tornado
 * backend runs for real on PoCL; without a GPU, cuda is skipped).
 *
 * <p>Tolerances: normalized values and correlations 1e-4 absolute (values of order 1 to 20, float32
 * storage), TOM 1e-4 absolute, module labels identical or ARI at least 0.99.
 */
class CrossBackendTest {

    static final double VALUE_TOLERANCE = 1e-4;

    @TempDir
    static Path dir;

    static Backend cpu;
    static Path counts;
    static Reference ref;

    /** The CPU backend's results everything else is compared with. */
    record Reference(float[] logCpm, float[] zScore, float[] correlation, float[] tom, int[] labels) {
    }

    @BeforeAll
    static void simulateAndComputeReference() throws Exception {
        cpu = Backends.open("cpu", 2, s -> { });
        // 90 people x 240 genes, 5 planted modules: big enough for several tiles and modules, small enough for PoCL
        SimulationSpec spec = SimulationSpec.defaults().withShape(90, 40, 240, 0, 0, 0);
        Path cohort = new CohortSimulator().simulate(spec, dir.resolve("cohort"), Progress.NONE).getParent();
        counts = cohort.resolve(CohortSimulator.TRANSCRIPTOME);
        ref = pipeline(cpu, dir.resolve("cpu"));
    }

    @AfterAll
    static void close() {
        if (cpu != null) cpu.close();
    }

    @TestFactory
    Stream<DynamicTest> every_available_backend_matches_the_cpu_backend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("cpu")) continue;
            tests.add(DynamicTest.dynamicTest(p.name() + ": primitives", () -> onBackend(p, CrossBackendTest::primitivesMatch)));
            tests.add(DynamicTest.dynamicTest(p.name() + ": normalization and network pipeline", () -> onBackend(p, b -> pipelineMatches(b))));
        }
        return tests.stream();
    }

    private interface BackendCheck {
        void run(Backend b) throws Exception;
    }

    private static void onBackend(BackendProvider p, BackendCheck check) throws Exception {
        String why = p.unavailableReason();
        if (why != null) System.out.println("cross-backend: " + p.name() + " skipped: " + why);
        Assumptions.assumeTrue(why == null, () -> p.name() + " not available here: " + why);
        try (Backend b = Backends.open(p.name(), 2, s -> { })) {
            System.out.println("cross-backend: " + p.name() + " on " + b.devices().getFirst().name());
            check.run(b);
        }
    }

    /** Each primitive on shapes past the GPU tile sizes, both backends, same inputs. */
    static void primitivesMatch(Backend b) {
        SplittableRandom rnd = new SplittableRandom(7);
        int m = 193, n = 161, k = 517;
        FloatMatrix a = random(rnd, m, k);
        FloatMatrix bt = random(rnd, n, k);
        for (Accumulation acc : Accumulation.values()) {
            FloatMatrix c0 = FloatMatrix.wrap(new float[m * n], m, n);
            FloatMatrix c1 = FloatMatrix.wrap(new float[m * n], m, n);
            cpu.gemm(Op.N, a, Op.T, bt, 1f / k, 0f, c0, acc);
            b.gemm(Op.N, a, Op.T, bt, 1f / k, 0f, c1, acc);
            // sum of |products| / k is below 1/3 here: 1e-6 absolute is about 30 float32 ulps of that scale
            assertClose("gemm NT " + acc, c0.toArray(), c1.toArray(), 1e-6);
        }
        a.set(3, 4, Float.NaN);
        double[][] mv0 = {new double[m], new double[m]}, mv1 = {new double[m], new double[m]};
        int[] n0 = new int[m], n1 = new int[m];
        cpu.rowMeanVariance(a, mv0[0], mv0[1], n0);
        b.rowMeanVariance(a, mv1[0], mv1[1], n1);
        assertArrayEquals(n0, n1, "counts");
        assertClose("row means", mv0[0], mv1[0], 1e-9);
        assertClose("row variances", mv0[1], mv1[1], 1e-9);
        FloatMatrix r0 = FloatMatrix.wrap(new float[m * k], m, k), r1 = FloatMatrix.wrap(new float[m * k], m, k);
        FloatMatrix ties = FloatMatrix.wrap(new float[m * k], m, k);
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) ties.set(i, j, rnd.nextInt(40));
        cpu.rowRanks(ties, r0);
        b.rowRanks(ties, r1);
        assertArrayEquals(r0.toArray(), r1.toArray(), "ranks");
        for (ElementwiseOp op : ElementwiseOp.values()) {
            double p1 = op == ElementwiseOp.CLAMP ? -0.5 : op == ElementwiseOp.SIGNED_POW ? 0.7 : 1.5;
            double p2 = op == ElementwiseOp.CLAMP ? 0.5 : -3;
            FloatMatrix o0 = FloatMatrix.wrap(new float[m * k], m, k), o1 = FloatMatrix.wrap(new float[m * k], m, k);
            cpu.map(a, op, p1, p2, o0);
            b.map(a, op, p1, p2, o1);
            assertRelClose("map " + op, o0.toArray(), o1.toArray(), 1e-6);
        }
        double[] scale = rnd.doubles(m, -2, 2).toArray(), shift = rnd.doubles(m, -5, 5).toArray();
        FloatMatrix s0 = FloatMatrix.wrap(new float[m * k], m, k), s1 = FloatMatrix.wrap(new float[m * k], m, k);
        cpu.scaleRows(a, scale, shift, s0);
        b.scaleRows(a, scale, shift, s1);
        assertRelClose("scaleRows", s0.toArray(), s1.toArray(), 1e-6);
        for (Reduction red : Reduction.values()) {
            for (Axis axis : Axis.values()) {
                int len = axis == Axis.ROWS ? m : k;
                double[] x0 = new double[len], x1 = new double[len];
                cpu.reduce(a, red, axis, x0);
                b.reduce(a, red, axis, x1);
                assertClose("reduce " + red + " " + axis, x0, x1, 1e-9 * k);
            }
        }
    }

    static void pipelineMatches(Backend b) throws Exception {
        Reference got = pipeline(b, dir.resolve(b.name()));
        assertClose("TMM log-CPM", ref.logCpm(), got.logCpm(), VALUE_TOLERANCE);
        assertClose("z-score of log-CPM", ref.zScore(), got.zScore(), VALUE_TOLERANCE);
        assertClose("Pearson correlations", ref.correlation(), got.correlation(), VALUE_TOLERANCE);
        assertClose("TOM", ref.tom(), got.tom(), VALUE_TOLERANCE);
        double ari = AdjustedRandIndex.of(ref.labels(), got.labels());
        System.out.printf(Locale.ROOT, "cross-backend: %s module labels %s (ARI %.4f against cpu)%n", b.name(),
                java.util.Arrays.equals(ref.labels(), got.labels()) ? "identical" : "differ", ari);
        assertTrue(ari >= 0.99, "module labels: ARI " + ari + " against cpu");
    }

    /** Normalization, correlation and the whole network, every step on backend {@code b}. */
    static Reference pipeline(Backend b, Path out) throws Exception {
        NormalizeContext ctx = new NormalizeContext(b, 64L << 20, Progress.NONE, s -> { });
        Path logCpm = out.resolve("logcpm.omx");
        Path z = out.resolve("zscore.omx");
        try (MatrixStore s = MatrixStore.open(counts)) {
            new LogCpm(true, 2).apply(s, logCpm, true, ctx);
        }
        try (MatrixStore s = MatrixStore.open(logCpm)) {
            new ZScore().apply(s, z, true, ctx);
        }
        try (MatrixStore s = MatrixStore.open(logCpm); MatrixStore zs = MatrixStore.open(z)) {
            int g = (int) s.rows();
            FloatMatrix x = new FloatMatrix(s.data(), 0, g, s.cols(), s.cols());
            float[] corr = new float[g * g];
            try (Correlation c = Correlation.standardize(b, x, s.featureIds(), CorrelationMethod.PEARSON, 1, 2)) {
                c.block(b, 0, 0, FloatMatrix.wrap(corr, g, g));
            }
            // A fixed power: the automatic choice is tested elsewhere and may legitimately tie-break differently.
            NetworkAnalysis.Parameters d = NetworkAnalysis.Parameters.defaults();
            NetworkAnalysis.Parameters p = new NetworkAnalysis.Parameters(d.correlation(), d.maxPOutliers(), d.networkType(),
                    d.tomType(), 6, d.rSquaredCut(), d.powers(), 15, d.deepSplit(), d.pamStage(), d.mergeCutHeight(), true);
            // 1 MiB: several TOM tiles even at 240 genes
            NetworkAnalysis.Result r = NetworkAnalysis.run(b, s, out.resolve("network"), p, 2, 1L << 20, l -> { }, (t, n) -> v -> { });
            float[] tom;
            try (MatrixStore t = MatrixStore.open(out.resolve("network").resolve("tom.omx"))) {
                tom = new float[g * g];
                for (int i = 0; i < g; i++) t.copyRow(i, tom, i * g);
            }
            assertTrue(java.util.Arrays.stream(r.labels()).max().orElse(0) >= 2, "the cohort's planted modules give several modules");
            return new Reference(all(s), all(zs), corr, tom, r.labels());
        }
    }

    private static float[] all(MatrixStore s) {
        float[] v = new float[(int) s.rows() * s.cols()];
        for (int i = 0; i < s.rows(); i++) s.copyRow(i, v, i * s.cols());
        return v;
    }

    private static FloatMatrix random(SplittableRandom rnd, int rows, int cols) {
        FloatMatrix m = FloatMatrix.wrap(new float[rows * cols], rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    private static void assertClose(String what, float[] want, float[] got, double tol) {
        double[] w = new double[want.length], g = new double[got.length];
        for (int i = 0; i < w.length; i++) w[i] = want[i];
        for (int i = 0; i < g.length; i++) g[i] = got[i];
        assertClose(what, w, g, tol);
    }

    private static void assertClose(String what, double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length, what);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i]) || Double.isNaN(got[i])) {
                assertTrue(Double.isNaN(want[i]) && Double.isNaN(got[i]), what + ": NaN at " + i);
                continue;
            }
            if (Double.isInfinite(want[i]) || Double.isInfinite(got[i])) {
                assertEquals(want[i], got[i], what + " at " + i);
                continue;
            }
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        System.out.printf(Locale.ROOT, "cross-backend: %-28s max |diff| %.2e (tolerance %.0e)%n", what, worst, tol);
        assertTrue(worst <= tol, what + ": max |diff| " + worst + " > " + tol);
    }

    private static void assertRelClose(String what, float[] want, float[] got, double tol) {
        double[] w = new double[want.length], g = new double[got.length];
        for (int i = 0; i < w.length; i++) {
            double scale = Math.max(Math.abs(want[i]), 1e-30);
            w[i] = want[i] / scale;
            g[i] = got[i] / scale;
        }
        assertClose(what + " (relative)", w, g, tol);
    }
}
