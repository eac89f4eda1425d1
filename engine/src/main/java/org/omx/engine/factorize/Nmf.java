package org.omx.engine.factorize;

import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Axis;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;
import org.omx.kernels.api.Reduction;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Non-negative matrix factorization {@code A ~ W H} of a features x samples matrix streamed in row
 * tiles: W (features x k) and H (k x samples) are held in double, A is read once per iteration.
 *
 * <p>Every solver updates W then H, as scikit-learn's {@code NMF} does, and does both in one pass:
 * the rows of W are independent given H, so each tile's rows of W are updated as the tile arrives
 * (from {@code A_t H^T}, one GEMM), and the products H needs ({@code W^T A}, {@code W^T W}, or for
 * KL {@code W^T (A / WH)}) are accumulated with the updated rows in the same pass.
 * <ul>
 *   <li>{@code MU_FROBENIUS}: Lee and Seung (2001) multiplicative updates for {@code ||A - WH||_F^2};
 *       {@code W <- W * (A H^T) / (W H H^T)}, {@code H <- H * (W^T A) / (W^T W H)}; a zero denominator
 *       becomes float32 epsilon, as in scikit-learn. Non-increasing objective (Lee and Seung, Theorem 1).</li>
 *   <li>{@code MU_KL}: the multiplicative updates for the generalized Kullback-Leibler divergence;
 *       {@code W <- W * ((A / WH) H^T) / (1 H^T)} and likewise for H; WH below epsilon is raised to it.</li>
 *   <li>{@code HALS}: hierarchical alternating least squares (Cichocki and Phan 2009; Gillis 2014),
 *       coordinate descent on one component at a time, in component order as scikit-learn's
 *       {@code solver="cd"} (no shuffle, no regularization).</li>
 * </ul>
 * The Frobenius objective is tracked without an extra pass: {@code ||A||^2 - 2 <W^T A, H> + <W^T W, H H^T>}.
 * The KL divergence of the state entering each iteration is summed while computing WH for the W update.
 */
public final class Nmf {

    public enum Solver { MU_FROBENIUS, MU_KL, HALS }

    public enum Init { NNDSVD, NNDSVDA, RANDOM }

    public record Options(int rank, Solver solver, Init init, int iterations, double tolerance, int restarts, long seed) {
        public Options {
            if (rank < 1) throw new FactorizeInputException("rank (-k) must be at least 1, not " + rank);
            if (iterations < 1) throw new FactorizeInputException("--iterations must be at least 1, not " + iterations);
            if (restarts < 1) throw new FactorizeInputException("--restarts must be at least 1, not " + restarts);
        }
    }

    /**
     * @param w          features x k, row-major
     * @param h          k x samples, row-major
     * @param objective  final objective: {@code 0.5 ||A - WH||_F^2} or the KL divergence
     * @param trace      objective after each iteration (KL: of the state entering it)
     */
    public record Result(int rank, double[] w, double[] h, double objective, List<Double> trace, int iterations, int passes,
                         boolean converged, long seed, List<String> rowIds, List<String> colIds) {
        /** scikit-learn's {@code reconstruction_err_}: {@code sqrt(2 * objective)}. */
        public double reconstructionError() {
            return Math.sqrt(2 * objective);
        }
    }

    /** float32 machine epsilon: scikit-learn's guard on denominators and on WH. */
    static final double EPSILON = Math.ulp(1f);

    /**
     * Accumulation of the per-iteration tile GEMMs. Float32: the float64 path ran the NMF benchmark
     * at about a third of the speed (JFR: 60% of samples in its double micro-kernel), and MU/HALS are
     * fixed-point iterations that do not accumulate these rounding errors (the reported objective is
     * summed exactly in double at the end).
     */
    static final Accumulation GEMM_ACCUMULATION = Accumulation.FLOAT32;

    /** The input; after a scan into the heap, a view of the heap copy (see {@link #scanIntoHeap}). */
    private RowSource source;
    private final Options options;
    private final FactorizeContext ctx;
    private final Backend backend;
    private final int m;
    private final int n;
    private final int k;
    private final int tileRows;
    private double squaredNorm = Double.NaN;
    private double mean;
    private int passes;
    /** A (m x n row-major) on the heap, or null: then every iteration streams the source through the backend. */
    private float[] resident;
    private java.util.concurrent.ForkJoinPool pool;
    private Thread warmUp;
    private FusedRowPass fused;

    private void release() {
        resident = null;
        if (pool != null) pool.close();
        pool = null;
    }

    private Nmf(RowSource source, Options options, FactorizeContext ctx) {
        this.source = source;
        this.options = options;
        this.ctx = ctx;
        this.backend = ctx.backend();
        if (source.rows() > Integer.MAX_VALUE) throw new FactorizeInputException("more than 2^31 features");
        this.m = (int) source.rows();
        this.n = source.cols();
        this.k = options.rank();
        if (k > Math.min(m, n))
            throw new FactorizeInputException("rank " + k + " is larger than the data allows: " + m + " features x " + n + " samples");
        long perRow = source.bytesPerTileRow() + 4L * n * (options.solver() == Solver.MU_KL ? 2 : 0) + 16L * k;
        long resident = 8L * m * k + 3 * 8L * k * n + 4L * k * n * 2;
        long rows = Math.max(64, (ctx.memoryBytes() - resident) / Math.max(1, perRow));
        this.tileRows = (int) Math.min(Math.min(rows, 16384), m);
    }

    /** Runs {@code restarts} factorizations (seed, seed + 1, ...; NNDSVD inits are deterministic, so later restarts use random init) and returns the best. */
    public static Result fit(RowSource source, Options options, FactorizeContext ctx) {
        Nmf nmf = new Nmf(source, options, ctx);
        nmf.scan();
        Result best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Init init = r == 0 ? options.init() : Init.RANDOM;
            double[][] wh = nmf.initialize(init, options.seed() + r);
            Result res = nmf.iterate(wh[0], wh[1], options.seed() + r, null);
            if (options.restarts() > 1)
                ctx.log().accept(String.format(Locale.ROOT, "NMF restart %d (%s init, seed %d): objective %.6g", r + 1,
                        init.name().toLowerCase(Locale.ROOT), options.seed() + r, res.objective()));
            if (best == null || res.objective() < best.objective()) best = res;
        }
        nmf.release();
        ctx.log().accept("NMF: " + nmf.passes + " passes over the data");
        return best;
    }

    /** From a given start (scikit-learn's {@code init="custom"}): W features x k, H k x samples, both row-major. */
    public static Result fit(RowSource source, Options options, double[] w0, double[] h0, FactorizeContext ctx) {
        Nmf nmf = new Nmf(source, options, ctx);
        nmf.scan();
        try {
            return nmf.iterate(w0.clone(), h0.clone(), options.seed(), null);
        } finally {
            nmf.release();
        }
    }

    /** First pass: refuses negative and missing values; sums of squares and the mean for the objective and random init. */
    private void scan() {
        // MU-Frobenius and HALS on the CPU backend: keep A on the heap when it fits half the budget
        if (options.solver() != Solver.MU_KL && "cpu".equals(backend.name()) && (long) m * n <= Integer.MAX_VALUE - 64
                && 4L * m * n <= ctx.memoryBytes() / 2) {
            scanIntoHeap();
            warmUp = Thread.ofPlatform().daemon().name("omx-nmf-warmup").start(FusedRowPass::warmUp); // overlaps the init
            pool = new java.util.concurrent.ForkJoinPool(ctx.workers());
            return;
        }
        double[] ss = new double[1];
        double[] sum = new double[1];
        source.forEachTile(tileRows, (tile, r0) -> {
            int t = tile.rows();
            double[] min = new double[t];
            double[] cnt = new double[t];
            double[] sq = new double[t];
            double[] s = new double[t];
            backend.reduce(tile, Reduction.MIN, Axis.ROWS, min);
            backend.reduce(tile, Reduction.COUNT, Axis.ROWS, cnt);
            backend.reduce(tile, Reduction.SUM_OF_SQUARES, Axis.ROWS, sq);
            backend.reduce(tile, Reduction.SUM, Axis.ROWS, s);
            for (int i = 0; i < t; i++) {
                checkRow((int) r0 + i, cnt[i] < n, min[i]);
                ss[0] += sq[i];
                sum[0] += s[i];
            }
        });
        passes++;
        squaredNorm = ss[0];
        mean = sum[0] / ((double) m * n);
    }

    /**
     * The scan for a heap-resident A: rows are copied first and checked and summed from the heap in
     * one sweep (four backend reductions each copied every row out of the mapping again: 30 ms of a
     * 0.4 s NMF).
     */
    private void scanIntoHeap() {
        float[] a = new float[m * n];
        source.forEachTile(tileRows, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) tile.copyRow(i, a, (int) (r0 + i) * n);
        });
        passes++;
        double ss = 0, sum = 0;
        for (int i = 0; i < m; i++) {
            float min = Float.POSITIVE_INFINITY;
            boolean missing = false;
            double rowSum = 0, rowSq = 0;
            for (int j = i * n, end = j + n; j < end; j++) {
                float v = a[j];
                missing |= v != v;
                min = Math.min(min, v);
                rowSum += v;
                rowSq += (double) v * v;
            }
            checkRow(i, missing, min);
            ss += rowSq;
            sum += rowSum;
        }
        resident = a;
        source = new HeapRows(a, source);
        squaredNorm = ss;
        mean = sum / ((double) m * n);
    }

    private void checkRow(int row, boolean missing, double min) {
        if (missing)
            throw new FactorizeInputException("feature " + source.rowIds().get(row) + " has missing values; NMF needs a complete matrix");
        if (min < 0)
            throw new FactorizeInputException("NMF needs non-negative values: feature " + source.rowIds().get(row)
                    + " has " + min + " (factorize counts or abundances, not centered or log-ratio data)");
    }

    double[][] initialize(Init init, long seed) {
        if (init == Init.RANDOM) {
            // scikit-learn's init="random": sqrt(mean / k) * |N(0, 1)|
            Random r = new Random(seed);
            double avg = Math.sqrt(mean / k);
            double[] w = new double[m * k];
            double[] h = new double[k * n];
            for (int i = 0; i < h.length; i++) h[i] = avg * Math.abs(r.nextGaussian());
            for (int i = 0; i < w.length; i++) w[i] = avg * Math.abs(r.nextGaussian());
            return new double[][]{w, h};
        }
        SvdResult svd = RandomizedSvd.computeApproximate(source, new RandomizedSvd.Options(k, 10, k < 0.1 * Math.min(m, n) ? 7 : 4,
                RandomizedSvd.Method.SUBSPACE, false, false, 100, seed), ctx);
        passes += svd.passes();
        return NndSvd.initialize(svd, init == Init.NNDSVDA, mean);
    }

    private Result iterate(double[] w, double[] h, long seed, Object unused) {
        nextHht = null;
        List<Double> trace = new ArrayList<>();
        double previous = Double.NaN;
        boolean converged = false;
        int it = 0;
        while (it < options.iterations()) {
            double objective = switch (options.solver()) {
                case MU_FROBENIUS, HALS -> frobeniusIteration(w, h);
                case MU_KL -> klIteration(w, h);
            };
            trace.add(objective);
            it++;
            if (options.tolerance() > 0 && !Double.isNaN(previous) && (previous - objective) / Math.max(previous, 1e-300) < options.tolerance()) {
                converged = true;
                break;
            }
            previous = objective;
            ctx.progress().update(it, options.iterations());
        }
        double finalObjective = options.solver() == Solver.MU_KL ? klDivergence(w, h) : 0.5 * squaredResidual(w, h);
        if (options.tolerance() > 0 && !converged)
            ctx.log().accept(String.format(Locale.ROOT, "NMF: not converged to --tolerance %g in %d iterations (last relative decrease %.3g)",
                    options.tolerance(), it, trace.size() > 1 ? (trace.get(trace.size() - 2) - trace.getLast()) / trace.get(trace.size() - 2) : Double.NaN));
        return new Result(k, w, h, finalObjective, List.copyOf(trace), it, passes, converged, seed, source.rowIds(), source.colIds());
    }

    private float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    /** One MU-Frobenius or HALS iteration (one pass); returns {@code 0.5 ||A - WH||^2} after it. */
    private double frobeniusIteration(double[] w, double[] h) {
        boolean hals = options.solver() == Solver.HALS;
        double[] hht = nextHht != null ? nextHht : gram(h, k, n);
        float[] hArr = toFloat(h);
        double[] wta = new double[k * n]; // W^T A: k x samples
        double[] wtw = new double[k * k];
        if (resident != null) {
            if (warmUp != null) {
                try {
                    warmUp.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                warmUp = null;
            }
            // host-resident A: one fused pass reads each block of rows once for both products (see FusedRowPass)
            float[] wf = new float[m * k];
            float[] wtaKn = new float[k * n];
            if (fused == null) fused = new FusedRowPass(n, k, pool);
            fused.run(resident, m, hArr, (i0, rows, p, wb) -> {
                for (int i = 0; i < rows; i++) {
                    int row = (i0 + i) * k;
                    if (hals) coordinateDescentRow(w, row, p, i * k, hht);
                    else multiplicativeRow(w, row, p, i * k, hht);
                    for (int a = 0; a < k; a++) wb[i * k + a] = (float) w[row + a];
                }
            }, wf, wtaKn);
            gramOfRows(w, m, k, wtw);
            for (int i = 0; i < k * n; i++) wta[i] = wtaKn[i];
        } else {
            FloatMatrix hf = FloatMatrix.wrap(hArr, k, n);
            float[] p = new float[tileRows * k];
            float[] wf = new float[tileRows * k];
            float[] wtaPart = new float[n * k];
            source.forEachTile(tileRows, (tile, r0) -> {
                int t = tile.rows();
                // The tile is always the GEMM's A operand (packed once); the CPU kernel splits a short
                // m = k across threads and repacks its B operand per split, which made a tile-as-B GEMM
                // packing-bound (JFR: packB and its tail fills on top).
                backend.gemm(Op.N, tile, Op.T, hf, 1f, 0f, FloatMatrix.wrap(p, t, k), GEMM_ACCUMULATION);
                updateRows(w, (int) r0, t, p, wf, hht, wtw, hals);
                backend.gemm(Op.T, tile, Op.N, FloatMatrix.wrap(wf, t, k), 1f, 0f, FloatMatrix.wrap(wtaPart, n, k), GEMM_ACCUMULATION);
                for (int j = 0; j < n; j++) for (int a = 0; a < k; a++) wta[a * n + j] += wtaPart[j * k + a];
            });
        }
        passes++;
        double[] hh = new double[k * k];
        double cross = updateH(wta, wtw, h, hals, hh);
        nextHht = hh;
        double quad = 0;
        for (int i = 0; i < k * k; i++) quad += wtw[i] * hh[i];
        return 0.5 * Math.max(0, squaredNorm - 2 * cross + quad);
    }

    /** H H^T of the H the next iteration starts from (computed for this iteration's objective). */
    private double[] nextHht;

    /** Columns of H per block of the H update. */
    private static final int H_COLUMNS = 512;

    /**
     * The H update from {@code W^T A} (k x n) and {@code W^T W}: samples are independent given W, so
     * blocks of columns run in parallel on the pool (the update ran on one thread while the other
     * waited: 30 % of a warm MU run's samples). Within a block, rows of H (one factor over the block's
     * samples) make the k x k x columns work contiguous loops. Returns {@code <W^T A, H>} of the new H
     * and fills {@code hh} with its {@code H H^T}, both summed over blocks in block order, so the
     * result does not depend on the threads.
     */
    private double updateH(double[] wta, double[] wtw, double[] h, boolean hals, double[] hh) {
        int blocks = (n + H_COLUMNS - 1) / H_COLUMNS;
        double[] cross = new double[blocks];
        double[][] gramParts = new double[blocks][];
        SkinnyProducts.Range body = (b0, b1) -> {
            double[] acc = new double[k * H_COLUMNS];
            for (int blk = b0; blk < b1; blk++) {
                int j0 = blk * H_COLUMNS, len = Math.min(n, j0 + H_COLUMNS) - j0;
                if (hals) {
                    // component by component in order, each seeing the components before it already updated (as per sample)
                    for (int a = 0; a < k; a++) {
                        double hess = wtw[a * k + a];
                        if (hess == 0) continue;
                        for (int j = 0; j < len; j++) acc[j] = -wta[a * n + j0 + j];
                        for (int b = 0; b < k; b++) axpy(wtw[a * k + b], h, b * n + j0, acc, 0, len);
                        int off = a * n + j0;
                        for (int j = 0; j < len; j++) h[off + j] = Math.max(h[off + j] - acc[j] / hess, 0);
                    }
                } else {
                    java.util.Arrays.fill(acc, 0, k * len, 0);
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++) axpy(wtw[a * k + b], h, b * n + j0, acc, a * len, len);
                    for (int a = 0; a < k; a++)
                        for (int j = 0; j < len; j++) {
                            double d = acc[a * len + j];
                            h[a * n + j0 + j] *= wta[a * n + j0 + j] / (d == 0 ? EPSILON : d);
                        }
                }
                double c = 0;
                for (int a = 0; a < k; a++) c += LaneDot.dot(wta, a * n + j0, h, a * n + j0, len);
                cross[blk] = c;
                double[] g = new double[k * k];
                for (int a = 0; a < k; a++)
                    for (int b = 0; b <= a; b++) g[a * k + b] = LaneDot.dot(h, a * n + j0, h, b * n + j0, len);
                gramParts[blk] = g;
            }
        };
        if (pool != null) SkinnyProducts.parallel(pool, blocks, body);
        else body.run(0, blocks);
        double total = 0;
        for (int blk = 0; blk < blocks; blk++) {
            total += cross[blk];
            for (int a = 0; a < k; a++) for (int b = 0; b <= a; b++) hh[a * k + b] += gramParts[blk][a * k + b];
        }
        for (int a = 0; a < k; a++) for (int b = 0; b < a; b++) hh[b * k + a] = hh[a * k + b];
        return total;
    }

    private static void axpy(double c, double[] x, int xOff, double[] y, int yOff, int n) {
        if (c == 0) return;
        for (int j = 0; j < n; j++) y[yOff + j] += c * x[xOff + j];
    }

    /** Updates rows {@code [base, base + t)} of W from {@code p = A_t H^T}; their float copy goes to wf, their Gram into wtw. */
    private void updateRows(double[] w, int base, int t, float[] p, float[] wf, double[] hht, double[] wtw, boolean hals) {
        for (int i = 0; i < t; i++) {
            int row = (base + i) * k;
            if (hals) coordinateDescentRow(w, row, p, i * k, hht);
            else multiplicativeRow(w, row, p, i * k, hht);
            for (int a = 0; a < k; a++) {
                double wa = w[row + a];
                wf[i * k + a] = (float) wa;
                for (int b = 0; b < k; b++) wtw[a * k + b] += wa * w[row + b];
            }
        }
    }

    private void multiplicativeRow(double[] w, int row, float[] p, int pOff, double[] hht) {
        double[] old = new double[k];
        System.arraycopy(w, row, old, 0, k);
        for (int a = 0; a < k; a++) {
            double d = 0;
            for (int b = 0; b < k; b++) d += old[b] * hht[b * k + a];
            if (d == 0) d = EPSILON;
            w[row + a] = old[a] * (p[pOff + a] / d);
        }
    }

    private void coordinateDescentRow(double[] w, int row, float[] p, int pOff, double[] hht) {
        for (int a = 0; a < k; a++) {
            double g = -p[pOff + a];
            for (int b = 0; b < k; b++) g += hht[a * k + b] * w[row + b];
            double hess = hht[a * k + a];
            if (hess != 0) w[row + a] = Math.max(w[row + a] - g / hess, 0);
        }
    }

    /** One MU-KL iteration (one pass); returns the divergence of the state entering it. */
    private double klIteration(double[] w, double[] h) {
        FloatMatrix hf = FloatMatrix.wrap(toFloat(h), k, n);
        double[] hsum = new double[k];
        for (int a = 0; a < k; a++) for (int j = 0; j < n; j++) hsum[a] += h[a * n + j];
        float[] wh = new float[tileRows * n];
        float[] num = new float[tileRows * k];
        float[] wf = new float[tileRows * k];
        float[] part = new float[k * n];
        double[] wtr = new double[k * n];
        double[] wsum = new double[k];
        double[] div = new double[1];
        source.forEachTile(tileRows, (tile, r0) -> {
            int t = tile.rows();
            int base = (int) r0;
            for (int i = 0; i < t; i++) for (int a = 0; a < k; a++) wf[i * k + a] = (float) w[(base + i) * k + a];
            FloatMatrix whm = FloatMatrix.wrap(wh, t, n);
            FloatMatrix wfm = FloatMatrix.wrap(wf, t, k);
            backend.gemm(Op.N, wfm, Op.N, hf, 1f, 0f, whm, GEMM_ACCUMULATION);
            div[0] += ratio(tile, wh, t, true);
            backend.gemm(Op.N, whm, Op.T, hf, 1f, 0f, FloatMatrix.wrap(num, t, k), GEMM_ACCUMULATION);
            for (int i = 0; i < t; i++)
                for (int a = 0; a < k; a++) {
                    double d = hsum[a] == 0 ? EPSILON : hsum[a];
                    int idx = (base + i) * k + a;
                    w[idx] *= num[i * k + a] / d;
                    wf[i * k + a] = (float) w[idx];
                    wsum[a] += w[idx];
                }
            backend.gemm(Op.N, wfm, Op.N, hf, 1f, 0f, whm, GEMM_ACCUMULATION);
            ratio(tile, wh, t, false);
            backend.gemm(Op.T, wfm, Op.N, whm, 1f, 0f, FloatMatrix.wrap(part, k, n), GEMM_ACCUMULATION);
            for (int i = 0; i < k * n; i++) wtr[i] += part[i];
        });
        passes++;
        for (int a = 0; a < k; a++) {
            double d = wsum[a] == 0 ? EPSILON : wsum[a];
            for (int j = 0; j < n; j++) h[a * n + j] *= wtr[a * n + j] / d;
        }
        return div[0];
    }

    /** Replaces {@code wh} by {@code A / max(WH, eps)}; with {@code divergence}, returns the KL divergence of A from WH. */
    private double ratio(FloatMatrix tile, float[] wh, int t, boolean divergence) {
        double d = 0;
        float[] row = new float[n];
        for (int i = 0; i < t; i++) {
            tile.copyRow(i, row, 0); // one bulk copy per row, not a segment access per element
            int off = i * n;
            for (int j = 0; j < n; j++) {
                double a = row[j];
                double x = Math.max(wh[off + j], EPSILON);
                if (divergence && a > 0) d += a * Math.log(a / x);
                if (divergence) d += x - a;
                wh[off + j] = (float) (a / x);
            }
        }
        return d;
    }

    /** The KL divergence of the final state: one evaluation pass. */
    private double klDivergence(double[] w, double[] h) {
        FloatMatrix hf = FloatMatrix.wrap(toFloat(h), k, n);
        float[] wh = new float[tileRows * n];
        float[] wf = new float[tileRows * k];
        double[] div = new double[1];
        source.forEachTile(tileRows, (tile, r0) -> {
            int t = tile.rows();
            for (int i = 0; i < t; i++) for (int a = 0; a < k; a++) wf[i * k + a] = (float) w[((int) r0 + i) * k + a];
            backend.gemm(Op.N, FloatMatrix.wrap(wf, t, k), Op.N, hf, 1f, 0f, FloatMatrix.wrap(wh, t, n), Accumulation.FLOAT64);
            div[0] += ratio(tile, wh, t, true);
        });
        passes++;
        return div[0];
    }

    /**
     * {@code ||A - WH||_F^2} summed element by element in double: one evaluation pass. The per-iteration
     * trace uses the expansion {@code ||A||^2 - 2 <W^T A, H> + <W^T W, H H^T>}, whose terms are each
     * about {@code ||A||^2} while the residual may be far smaller, so its absolute error is ~1e-7 of
     * {@code ||A||^2} (float32 GEMM outputs); the reported objective is this exact sum.
     */
    private double squaredResidual(double[] w, double[] h) {
        double[] total = new double[1];
        source.forEachTile(tileRows, (tile, r0) -> {
            // blocks of rows on the pool (where there is one), their sums added in block order
            int t = tile.rows(), blocks = (t + RESIDUAL_ROWS - 1) / RESIDUAL_ROWS;
            double[] partial = new double[blocks];
            SkinnyProducts.Range body = (b0, b1) -> {
                float[] row = new float[n];
                double[] rows = new double[RESIDUAL_ROWS * n];
                for (int b = b0; b < b1; b++) {
                    int i0 = b * RESIDUAL_ROWS, i1 = Math.min(t, i0 + RESIDUAL_ROWS);
                    for (int i = i0; i < i1; i++) {
                        tile.copyRow(i, row, 0);
                        for (int j = 0, off = (i - i0) * n; j < n; j++) rows[off + j] = row[j];
                    }
                    partial[b] = residualBlock(rows, i1 - i0, ((int) r0 + i0) * k, w, h);
                }
            };
            if (pool != null) SkinnyProducts.parallel(pool, blocks, body);
            else body.run(0, blocks);
            for (double p : partial) total[0] += p;
        });
        passes++;
        return total[0];
    }

    private static final int RESIDUAL_ROWS = 16;

    /** Columns of H per chunk of the residual: k x 512 doubles (80 KB at k = 20) stay in L2 while a block of rows reads them. */
    private static final int RESIDUAL_COLUMNS = 512;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * {@code sum ||a_i - w_i H||^2} over {@code count} rows (row-major in {@code rows}) whose factors start
     * at {@code w[base]}, in double. Column chunks are outermost, so H is read once per block of rows and
     * not once per row (k x n doubles, 800 KB for the bench's NMF, do not stay in L2 across rows); each
     * lane's fit is summed over the k factors in registers. The squares are summed per lane, then the
     * lanes in order.
     */
    private double residualBlock(double[] rows, int count, int base, double[] w, double[] h) {
        int l = D.length();
        var sum = DoubleVector.zero(D);
        double tail = 0;
        for (int j0 = 0; j0 < n; j0 += RESIDUAL_COLUMNS) {
            int end = Math.min(n, j0 + RESIDUAL_COLUMNS), vend = j0 + (end - j0) / l * l;
            for (int i = 0; i < count; i++) {
                int wi = base + i * k, ri = i * n;
                for (int j = j0; j < vend; j += l) {
                    var fit = DoubleVector.zero(D);
                    for (int a = 0; a < k; a++) fit = DoubleVector.fromArray(D, h, a * n + j).fma(DoubleVector.broadcast(D, w[wi + a]), fit);
                    var d = DoubleVector.fromArray(D, rows, ri + j).sub(fit);
                    sum = d.fma(d, sum);
                }
                for (int j = vend; j < end; j++) {
                    double fit = 0;
                    for (int a = 0; a < k; a++) fit += w[wi + a] * h[a * n + j];
                    double d = rows[ri + j] - fit;
                    tail += d * d;
                }
            }
        }
        return LaneDot.sum(sum) + tail;
    }

    /** {@code W^T W} (k x k) of W (rows x k, row-major), added into {@code out}. */
    static void gramOfRows(double[] w, int rows, int k, double[] out) {
        // columns first: k(k+1)/2 dot products along the vector lanes (a row-by-row outer product of
        // 20 factors ran at under 1 GFLOP/s on the main thread, every iteration)
        double[] cols = new double[k * rows];
        for (int i = 0; i < rows; i++) for (int a = 0; a < k; a++) cols[a * rows + i] = w[i * k + a];
        for (int a = 0; a < k; a++)
            for (int b = 0; b <= a; b++) {
                double s = LaneDot.dot(cols, a * rows, cols, b * rows, rows);
                out[a * k + b] += s;
                if (b != a) out[b * k + a] += s;
            }
    }

    /** {@code X X^T} of a rows x cols row-major matrix. */
    static double[] gram(double[] x, int rows, int cols) {
        double[] g = new double[rows * rows];
        for (int a = 0; a < rows; a++)
            for (int b = a; b < rows; b++) {
                double s = LaneDot.dot(x, a * cols, x, b * cols, cols);
                g[a * rows + b] = s;
                g[b * rows + a] = s;
            }
        return g;
    }
}
