package org.omx.kernels.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The start-up self-check every backend can reuse: runs each primitive of a {@link Backend} on small
 * seeded random inputs with awkward shapes (odd sizes, primes, strided views at non-zero offsets,
 * heap and native memory, missing values, ties) and compares with the plain double-precision loops
 * in this class. It takes a few milliseconds on a CPU.
 *
 * <p>Tolerances, each stated relative to the scale of the computation:
 * <ul>
 *   <li>GEMM, float32 accumulation: {@code |c - ref| <= 1e-5 * (|alpha| sum_p |a_ip||b_pj| + |beta||c0_ij|)}
 *       (float rounding grows at worst like k * 2^-24, in practice like sqrt(k) * 2^-24: about
 *       2e-6 at k = 1031, the longest inner dimension checked).</li>
 *   <li>GEMM, float64 accumulation: the same scale with 1e-6: only the final rounding to float remains.</li>
 *   <li>Row mean and variance, reductions: 1e-9 relative to the sum of magnitudes (sums run in double).</li>
 *   <li>Ranks: exact. Counts and the positions of NaN results: exact.</li>
 *   <li>Element-wise maps: 1e-6 relative (a GPU's float math library may differ from {@link Math}
 *       in the last bits).</li>
 * </ul>
 */
public final class ReferenceSelfCheck {

    static final double GEMM32_TOLERANCE = 1e-5;
    static final double GEMM64_TOLERANCE = 1e-6;
    static final double SUM_TOLERANCE = 1e-9;
    static final double MAP_TOLERANCE = 1e-6;

    private ReferenceSelfCheck() {
    }

    /** Runs every check on {@code backend}; never throws for a wrong result, only reports it. */
    public static SelfCheck run(Backend backend) {
        List<SelfCheck.Item> items = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            SplittableRandom rnd = new SplittableRandom(20240917L);
            for (Accumulation acc : Accumulation.values()) {
                for (Op opA : Op.values()) {
                    for (Op opB : Op.values()) {
                        String name = "gemm " + opA + opB + " " + acc.name().toLowerCase();
                        double tol = acc == Accumulation.FLOAT32 ? GEMM32_TOLERANCE : GEMM64_TOLERANCE;
                        double err = guarded(() -> {
                            double e = gemmError(backend, arena, rnd, opA, opB, acc, 7, 37, 13, 0.75f, -0.5f);
                            e = Math.max(e, gemmError(backend, arena, rnd, opA, opB, acc, 29, 37, 67, 1f, 0f));
                            // A long inner dimension (k = 1031 crosses the 1024 deep CPU blocks and
                            // the GPU tiles), once per accumulation in the correlation form N,T, on
                            // one micro-tile of C so that the check stays fast while the JIT is cold.
                            if (opA == Op.N && opB == Op.T)
                                e = Math.max(e, gemmError(backend, arena, rnd, opA, opB, acc, 5, 7, 1031, 1f, 0.5f));
                            return Math.max(e, gemmError(backend, arena, rnd, opA, opB, acc, 1, 3, 1, -2f, 1f));
                        });
                        items.add(item(name, err, tol));
                    }
                }
            }
            items.add(item("rowMeanVariance", guarded(() -> meanVarianceError(backend, arena, rnd)), SUM_TOLERANCE));
            items.add(item("rowRanks", guarded(() -> ranksError(backend, arena, rnd)), 0));
            items.add(item("map", guarded(() -> mapError(backend, rnd)), MAP_TOLERANCE));
            items.add(item("scaleRows", guarded(() -> scaleRowsError(backend, rnd)), MAP_TOLERANCE));
            items.add(item("reduce", guarded(() -> reduceError(backend, arena, rnd)), SUM_TOLERANCE));
        }
        return SelfCheck.of(items);
    }

    private interface Check {
        double error();
    }

    /** A primitive that throws fails its item (error = infinity) rather than the whole check. */
    private static double guarded(Check c) {
        try {
            return c.error();
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    private static SelfCheck.Item item(String name, double err, double tol) {
        return new SelfCheck.Item(name, err, tol, err <= tol);
    }

    /** A strided view (row stride cols + 3, two floats of offset), filled with uniform(-1, 1). */
    static FloatMatrix randomView(SplittableRandom rnd, MemorySegment seg, int rows, int cols) {
        long stride = cols + 3;
        FloatMatrix m = new FloatMatrix(seg, 8, rows, cols, stride);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m.set(i, j, (float) (2 * rnd.nextDouble() - 1));
        return m;
    }

    private static MemorySegment heapOrNative(Arena arena, boolean nativeMemory, int rows, int cols) {
        long floats = 2 + (long) rows * (cols + 3);
        return nativeMemory ? arena.allocate(4 * floats, 4) : MemorySegment.ofArray(new float[(int) floats]);
    }

    private static double gemmError(Backend backend, Arena arena, SplittableRandom rnd, Op opA, Op opB,
                                    Accumulation acc, int m, int n, int k, float alpha, float beta) {
        FloatMatrix a = opA == Op.N ? randomView(rnd, heapOrNative(arena, false, m, k), m, k)
                : randomView(rnd, heapOrNative(arena, false, k, m), k, m);
        FloatMatrix b = opB == Op.N ? randomView(rnd, heapOrNative(arena, true, k, n), k, n)
                : randomView(rnd, heapOrNative(arena, true, n, k), n, k);
        FloatMatrix c = randomView(rnd, heapOrNative(arena, true, m, n), m, n);
        if (beta == 0f) c.set(0, 0, Float.NaN); // beta == 0 must ignore the old contents
        float[] c0 = c.toArray();
        // op(A) row-major m x k and op(B) column-major (row j of opBt is column j of op(B)), as arrays.
        float[] opAr = new float[m * k];
        float[] opBt = new float[n * k];
        float[] as = a.toArray();
        float[] bs = b.toArray();
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) opAr[i * k + p] = opA == Op.N ? as[i * k + p] : as[p * m + i];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) opBt[j * k + p] = opB == Op.N ? bs[p * n + j] : bs[j * k + p];
        backend.gemm(opA, a, opB, b, alpha, beta, c, acc);
        float[] got = c.toArray();
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double scale = 0;
                for (int p = 0; p < k; p++) {
                    double x = opAr[i * k + p];
                    double y = opBt[j * k + p];
                    sum += x * y;
                    scale += Math.abs(x * y);
                }
                double old = beta == 0f ? 0 : c0[i * n + j];
                double ref = alpha * sum + beta * old;
                scale = Math.abs(alpha) * scale + Math.abs(beta * old) + Double.MIN_NORMAL;
                worst = Math.max(worst, relative(got[i * n + j], ref, scale));
            }
        }
        return worst;
    }

    /** |got - ref| / scale, with NaN or infinities matching exactly counting as 0 and mismatches as infinity. */
    static double relative(double got, double ref, double scale) {
        if (Double.isNaN(ref) || Double.isNaN(got)) return Double.isNaN(ref) && Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(ref) || Double.isInfinite(got)) return got == ref ? 0 : Double.POSITIVE_INFINITY;
        double e = Math.abs(got - ref) / scale;
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    /** Values with missing entries: about one in six is NaN, row 2 is all NaN, row 3 has one value. */
    private static FloatMatrix withMissing(SplittableRandom rnd, MemorySegment seg, int rows, int cols, boolean ties) {
        FloatMatrix a = randomView(rnd, seg, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (ties) a.set(i, j, rnd.nextInt(5) - 2);
                else a.set(i, j, (float) (100 + 10 * rnd.nextGaussian()));
                if (rnd.nextInt(6) == 0 || i == 2 || (i == 3 && j > 0)) a.set(i, j, Float.NaN);
            }
        }
        return a;
    }

    private static double meanVarianceError(Backend backend, Arena arena, SplittableRandom rnd) {
        int rows = 9;
        int cols = 23;
        FloatMatrix a = withMissing(rnd, heapOrNative(arena, true, rows, cols), rows, cols, false);
        double[] mean = new double[rows];
        double[] var = new double[rows];
        int[] count = new int[rows];
        backend.rowMeanVariance(a, mean, var, count);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            double mag = 0;
            int n = 0;
            for (int j = 0; j < cols; j++) {
                double x = a.get(i, j);
                if (!Double.isNaN(x)) {
                    sum += x;
                    mag += Math.abs(x);
                    n++;
                }
            }
            double mu = n == 0 ? Double.NaN : sum / n;
            double ss = 0;
            for (int j = 0; j < cols; j++) {
                double x = a.get(i, j);
                if (!Double.isNaN(x)) ss += (x - mu) * (x - mu);
            }
            double v = n < 2 ? Double.NaN : ss / (n - 1);
            if (count[i] != n) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, relative(mean[i], mu, Math.max(1, mag / Math.max(1, n))));
            worst = Math.max(worst, relative(var[i], v, Math.max(1, Math.abs(v))));
        }
        return worst;
    }

    private static double ranksError(Backend backend, Arena arena, SplittableRandom rnd) {
        int rows = 9;
        int cols = 23;
        FloatMatrix a = withMissing(rnd, heapOrNative(arena, false, rows, cols), rows, cols, true);
        FloatMatrix out = randomView(rnd, heapOrNative(arena, true, rows, cols), rows, cols);
        backend.rowRanks(a, out);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = a.get(i, j);
                double ref;
                if (Double.isNaN(x)) ref = Double.NaN;
                else {
                    int less = 0;
                    int equal = 0;
                    for (int t = 0; t < cols; t++) {
                        double y = a.get(i, t);
                        if (y < x) less++;
                        else if (y == x) equal++;
                    }
                    ref = less + (equal + 1) / 2.0; // average of ranks less+1 .. less+equal
                }
                worst = Math.max(worst, relative(out.get(i, j), ref, 1));
            }
        }
        return worst;
    }

    private static double mapError(Backend backend, SplittableRandom rnd) {
        int rows = 7;
        int cols = 19;
        double worst = 0;
        for (ElementwiseOp op : ElementwiseOp.values()) {
            double p1 = op == ElementwiseOp.CLAMP ? -0.5 : op == ElementwiseOp.SIGNED_POW ? 0.7 : 1.5;
            double p2 = op == ElementwiseOp.CLAMP ? 0.5 : -3;
            FloatMatrix a = randomView(rnd, MemorySegment.ofArray(new float[2 + rows * (cols + 3)]), rows, cols);
            a.set(1, 1, Float.NaN);
            a.set(2, 2, 0f);
            float[] in = a.toArray();
            backend.map(a, op, p1, p2, a); // in place
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double ref = (float) op.apply(in[i * cols + j], p1, p2);
                    worst = Math.max(worst, relative(a.get(i, j), ref, Math.max(Math.abs(ref), 1e-30)));
                }
            }
        }
        return worst;
    }

    private static double scaleRowsError(Backend backend, SplittableRandom rnd) {
        int rows = 9;
        int cols = 23;
        FloatMatrix a = randomView(rnd, MemorySegment.ofArray(new float[2 + rows * (cols + 3)]), rows, cols);
        a.set(4, 5, Float.NaN);
        double[] scale = new double[rows];
        double[] shift = new double[rows];
        for (int i = 0; i < rows; i++) {
            scale[i] = rnd.nextDouble(-2, 2);
            shift[i] = rnd.nextDouble(-5, 5);
        }
        float[] in = a.toArray();
        backend.scaleRows(a, scale, shift, a);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double ref = (float) ElementwiseOp.AFFINE.apply(in[i * cols + j], scale[i], shift[i]);
                worst = Math.max(worst, relative(a.get(i, j), ref, Math.max(Math.abs(ref), 1e-30)));
            }
        }
        return worst;
    }

    private static double reduceError(Backend backend, Arena arena, SplittableRandom rnd) {
        int rows = 11;
        int cols = 17;
        FloatMatrix a = withMissing(rnd, heapOrNative(arena, true, rows, cols), rows, cols, false);
        for (int i = 0; i < rows; i++) a.set(i, 5, Float.NaN); // an all-missing column
        double worst = 0;
        for (Reduction r : Reduction.values()) {
            for (Axis axis : Axis.values()) {
                int lines = axis == Axis.ROWS ? rows : cols;
                int len = axis == Axis.ROWS ? cols : rows;
                double[] out = new double[lines];
                backend.reduce(a, r, axis, out);
                for (int l = 0; l < lines; l++) {
                    double acc = r == Reduction.MIN ? Double.POSITIVE_INFINITY
                            : r == Reduction.MAX ? Double.NEGATIVE_INFINITY : 0;
                    double mag = 0;
                    int n = 0;
                    for (int t = 0; t < len; t++) {
                        double x = axis == Axis.ROWS ? a.get(l, t) : a.get(t, l);
                        if (Double.isNaN(x)) continue;
                        n++;
                        mag += Math.abs(r == Reduction.SUM_OF_SQUARES ? x * x : x);
                        acc = switch (r) {
                            case SUM -> acc + x;
                            case SUM_OF_SQUARES -> acc + x * x;
                            case MIN -> Math.min(acc, x);
                            case MAX -> Math.max(acc, x);
                            case COUNT -> acc + 1;
                        };
                    }
                    if (n == 0 && r != Reduction.SUM && r != Reduction.COUNT) acc = Double.NaN;
                    worst = Math.max(worst, relative(out[l], acc, Math.max(1, mag)));
                }
            }
        }
        return worst;
    }
}
