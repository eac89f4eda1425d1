package org.omx.engine.factorize;

import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Truncated SVD / PCA of a features x samples matrix streamed in row tiles, by randomized range
 * finding (Halko, Martinsson and Tropp, "Finding structure with randomness", SIAM Review 2011,
 * Algorithms 4.4 and 5.1) or by randomized block Krylov iteration (Musco and Musco, "Randomized
 * block Krylov methods for stronger and faster approximate singular value decomposition", NeurIPS 2015).
 *
 * <p>Orientation. The store holds features as rows (m, possibly millions) and samples as columns
 * (n). Every pass streams the rows once and computes {@code Z = A_s^T A_s Q} for an n x l block Q:
 * per tile {@code Y_t = A_t Q} then {@code Z += A_t^T Y_t}, two backend GEMMs, so one pass applies the
 * Gram operator once and nothing of size m is kept between passes. With q power iterations the range
 * finder makes q + 1 such passes, each followed by a Householder QR of the n x l block in double
 * (the re-orthonormalization of HMT Algorithm 4.4), and one final pass {@code B = A_s Q} (m x l),
 * whose SVD (Householder QR, then one-sided Jacobi on the l x l factor) gives the singular values,
 * loadings {@code U = B W diag(sigma)^-1} and sample vectors {@code V = Q W}. Passes: q + 2. The
 * polynomial reached is {@code (A^T A)^(q+1) Omega}, the same degree as scikit-learn's
 * {@code randomized_svd(n_iter = q)}, which spends 2q + 2 passes on it.
 *
 * <p>Block Krylov keeps every block {@code Q_1 .. Q_(q+1)}, orthonormalizes their union and does the
 * final Rayleigh-Ritz step on it: the same passes, a basis (q + 1) times wider, markedly more
 * accurate singular values at few passes (Musco and Musco, Theorem 1).
 *
 * <p>Centering and scaling are never materialized: with {@code A_s = S (A - mu 1^T)},
 * {@code A_s X = S (A X - mu (1^T X))} and {@code A_s^T P = A^T P - 1 (mu^T P)} for {@code P = S Y}:
 * the rank-one corrections cost O((m + n) l) per pass. Feature means and variances are computed in
 * the first pass, tile by tile, just before the tile's products (the correction of a tile needs only
 * its own rows). The final pass's GEMMs accumulate in float64, the power iterations' in float32
 * (inputs stay float32); Z and B are summed across tiles in double.
 * A source with {@link PairwiseMissingness} (genotypes) changes the operator to
 * {@code D A_s^T A_s D + E}, plink2's missingness-corrected GRM up to the factor M (see
 * {@link PairwiseMissingness}); the first pass applies the plain Gram operator to the random start,
 * which is a valid start for the corrected one, and the final Rayleigh-Ritz step is on the operator
 * (one Gram pass that also keeps {@code B = A_s D Q}) instead of on B alone.
 *
 * <p>Tolerance: singular values agree with an exact double-precision SVD to about 1e-6 relative when the
 * range has converged (tests ask 1e-4).
 */
public final class RandomizedSvd {

    public enum Method {
        /** HMT subspace (power) iteration, re-orthonormalized every pass. */
        SUBSPACE,
        /** Musco-Musco randomized block Krylov. */
        BLOCK_KRYLOV
    }

    /**
     * @param rank            k: components returned
     * @param oversample      p: extra basis columns (l = k + p)
     * @param powerIterations q
     * @param maxPasses       bound on passes over the data; q is lowered to fit (with a log line)
     */
    public record Options(int rank, int oversample, int powerIterations, Method method, boolean center, boolean scale,
                          int maxPasses, long seed) {
        public Options {
            if (rank < 1) throw new FactorizeInputException("rank (-k) must be at least 1, not " + rank);
            if (oversample < 0) throw new FactorizeInputException("--oversample must be >= 0, not " + oversample);
            if (powerIterations < 0) throw new FactorizeInputException("--power-iterations must be >= 0, not " + powerIterations);
            if (maxPasses < 2) throw new FactorizeInputException("--max-passes must be at least 2 (one range pass and one projection pass), not " + maxPasses);
        }

        public static Options pca(int rank) {
            return new Options(rank, 10, 4, Method.SUBSPACE, true, false, 100, 42);
        }
    }

    /** Tiles are multiples of this many rows (GEMM micro-panels, cache lines). */
    static final int ALIGN = 64;
    /** Upper bound on rows per tile: larger tiles gain nothing and make progress coarse. */
    static final int MAX_TILE_ROWS = 16384;

    private final RowSource source;
    private final Options options;
    private final FactorizeContext ctx;
    private final Backend backend;
    private final int m;
    private final int n;
    private final int basis;
    private final int q;
    private final double[] mean;
    private final double[] scale;
    private boolean momentsKnown;
    private int passes;

    private RandomizedSvd(RowSource source, Options options, FactorizeContext ctx) {
        this.source = residentWhereFits(source, options, ctx.memoryBytes(), ctx.backend().name());
        this.options = options;
        this.ctx = ctx;
        this.backend = ctx.backend();
        if (source.rows() > Integer.MAX_VALUE) throw new FactorizeInputException("more than 2^31 features");
        this.m = (int) source.rows();
        this.n = source.cols();
        int maxRank = Math.min(m, n - (options.center() ? 1 : 0));
        if (options.rank() > maxRank)
            throw new FactorizeInputException("rank " + options.rank() + " is larger than the data allows: " + m + " features x "
                    + n + " samples" + (options.center() ? " (centered: at most samples - 1)" : "") + " have at most " + maxRank + " components");
        this.basis = Math.min(options.rank() + options.oversample(), Math.min(m, n));
        int q = options.powerIterations();
        if (q + 2 > options.maxPasses()) {
            int allowed = options.maxPasses() - 2;
            ctx.log().accept(String.format(Locale.ROOT, "randomized SVD: --max-passes %d allows %d power iterations, not %d",
                    options.maxPasses(), allowed, q));
            q = allowed;
        }
        if (options.method() == Method.BLOCK_KRYLOV) q = Math.min(q, Math.max(0, n / basis - 1));
        this.q = q;
        this.mean = new double[m];
        this.scale = new double[m];
        this.missingness = source instanceof PairwiseMissingness pm && pm.correctsMissingness() ? pm : null;
    }

    /**
     * One progress bar over all passes (rows done so far in every pass out of rows times the planned
     * passes), so a log that prints deciles keeps moving after the first pass.
     */
    private void progress(long rowsThisPass) {
        long total = (long) Math.max(plannedPasses(options), passes + 1) * m;
        ctx.progress().update((long) passes * m + rowsThisPass, total);
    }

    /** Computes the truncated SVD; logs the plan and the number of passes. */
    public static SvdResult compute(RowSource source, Options options, FactorizeContext ctx) {
        return new RandomizedSvd(source, options, ctx).runAndRelease();
    }

    private SvdResult runAndRelease() {
        try {
            return run();
        } finally {
            if (pool != null) pool.close();
            pool = null;
            source.releaseKeptPages(); // one factorization's residency: MFA's layers must not pile up
        }
    }

    /**
     * With the projection pass's GEMM accumulated in float32 too: for a starting point (NMF's NNDSVD
     * initialization), where 1e-6 relative error in B is irrelevant and the float64 kernel's cost
     * (its JIT warm-up included: about 1.5 s of a 5 s NMF run on 1,000 x 5,000) is not.
     */
    static SvdResult computeApproximate(RowSource source, Options options, FactorizeContext ctx) {
        RandomizedSvd svd = new RandomizedSvd(source, options, ctx);
        svd.projectionAccumulation = Accumulation.FLOAT32;
        return svd.runAndRelease();
    }

    private Accumulation projectionAccumulation = Accumulation.FLOAT64;

    /** Passes the computation will make with these options. */
    public static int plannedPasses(Options o) {
        return Math.min(o.powerIterations() + 2, o.maxPasses());
    }

    /** The tile height and estimated peak memory on the named backend, printable before the run. */
    public static String plan(RowSource source, Options o, long memoryBytes, String backendName) {
        int l = Math.min(o.rank() + o.oversample(), (int) Math.min(source.rows(), source.cols()));
        int width = width(source, o);
        int tile = tileRows(source, width, memoryBytes, backendName);
        long resident = residentBytes(source.rows(), source.cols(), width);
        long perTile = (long) tile * perRowBytes(source, width);
        double flops = 4.0 * source.rows() * source.cols() * l * (o.powerIterations() + 1) + 2.0 * source.rows() * source.cols() * width;
        return String.format(Locale.ROOT, "plan: %d features x %d samples, rank %d, basis %d (%s), %d passes, tiles of %d rows; "
                        + "estimated peak %s (resident %s, tile buffers %s), %.3g FLOPs; %s",
                source.rows(), source.cols(), o.rank(), width, o.method() == Method.BLOCK_KRYLOV ? "block Krylov" : "subspace iteration",
                plannedPasses(o), tile, org.omx.engine.ByteSize.format(resident + perTile), org.omx.engine.ByteSize.format(resident), org.omx.engine.ByteSize.format(perTile), flops,
                processMemory(source, o, memoryBytes, backendName).describe());
    }

    /** The whole process's resident memory for this plan: heap buffers, heap limit, mapped window, read buffers. */
    public static ProcessMemory processMemory(RowSource source, Options o, long memoryBytes, String backendName) {
        int tile = tileRows(source, width(source, o), memoryBytes, backendName);
        return ProcessMemory.of(residentWhereFits(source, o, memoryBytes, backendName), plannedHeap(source, o, memoryBytes, backendName), tile);
    }

    /**
     * The source with its mapped pages kept between passes where the whole mapping fits half of what
     * the budget leaves beside the planned buffers (every pass after the first then reads without page
     * faults); the other half is headroom for the heap, which grows past the planned buffers with
     * garbage. A 3-layer MFA of 100,000 samples under 4g keeps releasing its 2 GB layer.
     */
    static RowSource residentWhereFits(RowSource source, Options o, long memoryBytes, String backendName) {
        return source.keepingPagesWithin((memoryBytes - plannedHeap(source, o, memoryBytes, backendName)) / 2);
    }

    private static long plannedHeap(RowSource source, Options o, long memoryBytes, String backendName) {
        int width = width(source, o);
        int tile = tileRows(source, width, memoryBytes, backendName);
        return residentBytes(source.rows(), source.cols(), width) + (long) tile * perRowBytes(source, width);
    }

    /** Columns of the basis the passes carry: l, or l (q + 1) for block Krylov. */
    static int width(RowSource source, Options o) {
        int l = Math.min(o.rank() + o.oversample(), (int) Math.min(source.rows(), source.cols()));
        return o.method() == Method.BLOCK_KRYLOV ? l * (o.powerIterations() + 1) : l;
    }

    static long perRowBytes(RowSource s, int width) {
        return s.bytesPerTileRow() + 2 * 4L * width + 8L * width;
    }

    static long residentBytes(long m, int n, int width) {
        // + the fused CPU pass's per-chunk k x n float accumulators and block buffers
        long fused = 4L * FusedRowPass.CHUNKS_PER_WORKER * Runtime.getRuntime().availableProcessors() * ((long) n * width + (long) FusedRowPass.BLOCK * n);
        return 4 * 8L * m + 8L * m * width + 4 * 8L * n * width + fused;
    }

    /**
     * Rows per tile on the CPU backend: the fused host pass reads each tile once, block by block, so a
     * tile that stays in the caches between being produced (decoded genotypes, gathered columns) and
     * being read saves a trip to memory. Genotype PCA of 5,000 x 100,000: 25 s with 512-row tiles,
     * 44 s with 16,384 (peak RSS 2.3 against 6.2 GB; one run each, same load).
     */
    static final int HOST_TILE_ROWS = 512;

    static int tileRows(RowSource s, int width, long memoryBytes, String backendName) {
        int rows = tileRows(s, width, memoryBytes);
        return "cpu".equals(backendName) ? Math.min(rows, HOST_TILE_ROWS) : rows;
    }

    static int tileRows(RowSource s, int width, long memoryBytes) {
        long free = memoryBytes - residentBytes(s.rows(), s.cols(), width);
        long rows = Math.max(ALIGN, free / Math.max(1, perRowBytes(s, width)));
        rows = Math.min(rows, MAX_TILE_ROWS);
        if (rows > ALIGN) rows -= rows % ALIGN;
        return (int) Math.min(rows, Math.max(1, s.rows()));
    }

    private SvdResult run() {
        int width = options.method() == Method.BLOCK_KRYLOV ? basis * (q + 1) : basis;
        int tile = tileRows(source, width, ctx.memoryBytes(), backend.name());
        List<SvdResult.PassTrace> trace = new ArrayList<>();
        Random rng = new Random(options.seed());
        double[][] omega = new double[basis][n];
        for (double[] col : omega) for (int i = 0; i < n; i++) col[i] = rng.nextGaussian();
        double[][] qb = HouseholderQr.orthonormalize(omega);
        List<double[][]> blocks = new ArrayList<>();
        double[] previous = null;
        for (int it = 0; it <= q; it++) {
            long t0 = System.nanoTime();
            double[][] z = gramPass(qb, tile, false);
            double[] estimate = it == 0 && missingness != null ? new double[0] : ritzValues(qb, z);
            double change = relativeChange(previous, estimate);
            previous = estimate;
            trace.add(new SvdResult.PassTrace(passes, it == 0 ? "range (A^T A Omega)" : "power iteration " + it,
                    java.util.Arrays.copyOf(estimate, Math.min(options.rank(), estimate.length)), change, (System.nanoTime() - t0) / 1e9));
            qb = HouseholderQr.orthonormalize(z);
            if (options.method() == Method.BLOCK_KRYLOV) blocks.add(qb);
        }
        double[][] basisCols = qb;
        if (options.method() == Method.BLOCK_KRYLOV) {
            double[][] all = new double[blocks.size() * basis][];
            int c = 0;
            for (double[][] b : blocks) for (double[] col : b) all[c++] = col;
            basisCols = HouseholderQr.orthonormalize(all);
        }
        long t0 = System.nanoTime();
        if (missingness != null) return finishOnOperator(basisCols, tile, trace, previous, t0);
        double[][] b = projectPass(basisCols, tile);
        int k = options.rank();
        // SVD of B (m x w) through its right singular vectors W: B W = U diag(s), A_s ~ U diag(s) (Q W)^T.
        // W and s^2 from the w x w Gram B^T B when the top k are well conditioned (then s_j is accurate to
        // about 1e-16 (s_1 / s_j)^2 relative), else from a Householder QR B = Q_B R and the SVD of R. The QR
        // sweeps all w columns of length m for every reflection: 1.3 s for 100,000 x 60, the Gram 0.1 s.
        JacobiSvd.Result eig = JacobiSvd.decompose(ColumnGram.of(b, pool));
        double[] sigma = new double[k];
        double[][] right = eig.v();
        if (eig.s()[k - 1] > GRAM_CONDITION * eig.s()[0]) {
            for (int j = 0; j < k; j++) sigma[j] = Math.sqrt(eig.s()[j]);
        } else {
            JacobiSvd.Result svd = JacobiSvd.decompose(transposeToColumns(HouseholderQr.triangular(b)));
            sigma = java.util.Arrays.copyOf(svd.s(), k);
            right = svd.v();
        }
        double[][] u = new double[k][m];
        double[][] v = new double[k][n];
        double[] sig = sigma;
        double[][] rightVectors = right, basisVectors = basisCols;
        SkinnyProducts.Range vectors = (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                double[] w = rightVectors[j];
                for (int c = 0; c < w.length; c++) {
                    double wc = w[c];
                    if (wc == 0) continue;
                    double[] bc = b[c], qc = basisVectors[c];
                    for (int i = 0; i < m; i++) u[j][i] += bc[i] * wc;
                    for (int i = 0; i < n; i++) v[j][i] += qc[i] * wc;
                }
                double inv = sig[j] > 0 ? 1 / sig[j] : 0;
                for (int i = 0; i < m; i++) u[j][i] *= inv;
                fixSign(u[j], v[j]);
            }
        };
        // each singular vector on its own: the k x w x m products spread over the pool where there is one
        if (pool != null) SkinnyProducts.parallel(pool, k, vectors);
        else vectors.run(0, k);
        trace.add(new SvdResult.PassTrace(passes, "projection (B = A_s Q) and Rayleigh-Ritz", sigma.clone(),
                relativeChange(previous, sigma), (System.nanoTime() - t0) / 1e9));
        return result(sigma, u, v, trace);
    }

    /** Smallest (s_k / s_1)^2 for which the final step uses the Gram of B (see {@link #run()}). */
    static final double GRAM_CONDITION = 1e-6;

    private SvdResult result(double[] sigma, double[][] u, double[][] v, List<SvdResult.PassTrace> trace) {
        double total = 0;
        for (int i = 0; i < m; i++) total += rowSumSquares[i];
        if (missingness != null) total = missingness.correctedTrace();
        ctx.log().accept("randomized SVD: " + passes + " passes over the data");
        return new SvdResult(sigma, u, v, mean.clone(), scale.clone(), total, passes, List.copyOf(trace),
                source.rowIds(), source.colIds());
    }

    /** Rayleigh-Ritz on the corrected operator: one Gram pass that also keeps {@code B = A_s D Q}. */
    private SvdResult finishOnOperator(double[][] basisCols, int tile, List<SvdResult.PassTrace> trace, double[] previous, long t0) {
        double[][] z = gramPass(basisCols, tile, true);
        double[][] b = lastB;
        lastB = null;
        int w = basisCols.length;
        double[][] h = new double[w][w];
        for (int a = 0; a < w; a++)
            for (int c = 0; c < w; c++) h[c][a] = ExactDot.dot(basisCols[a], z[c]);
        for (int a = 0; a < w; a++)
            for (int c = a + 1; c < w; c++) h[a][c] = h[c][a] = 0.5 * (h[a][c] + h[c][a]);
        JacobiSvd.Result eig = JacobiSvd.decompose(h);
        int k = options.rank();
        double[] sigma = new double[k];
        double[][] u = new double[k][m];
        double[][] v = new double[k][n];
        for (int j = 0; j < k; j++) {
            sigma[j] = Math.sqrt(Math.max(0, eig.s()[j]));
            // H is symmetric positive semidefinite: its left singular vectors are its eigenvectors
            double[] wj = eig.u()[j];
            for (int c = 0; c < w; c++) {
                double wc = wj[c];
                if (wc == 0) continue;
                double[] bc = b[c], qc = basisCols[c];
                for (int i = 0; i < m; i++) u[j][i] += bc[i] * wc;
                for (int i = 0; i < n; i++) v[j][i] += qc[i] * wc;
            }
            double norm = Math.sqrt(ExactDot.dot(u[j], u[j]));
            if (norm > 0) for (int i = 0; i < m; i++) u[j][i] /= norm;
            fixSign(u[j], v[j]);
        }
        trace.add(new SvdResult.PassTrace(passes, "Rayleigh-Ritz on the missingness-corrected Gram operator", sigma.clone(),
                relativeChange(previous, sigma), (System.nanoTime() - t0) / 1e9));
        return result(sigma, u, v, trace);
    }

    private double[][] lastB;
    private final PairwiseMissingness missingness;

    /** {@code ||row_i of A_s||^2}, known after the first pass. */
    private double[] rowSumSquares;

    /** First pass: per-tile moments, then the shift and scale of its rows. */
    private void moments(FloatMatrix tile, int r0) {
        int t = tile.rows();
        double[] mu = new double[t];
        double[] var = new double[t];
        int[] count = new int[t];
        if (pool != null) HostMoments.compute(tile, mu, var, count, pool, options.center() || options.scale()); // CPU: see HostMoments
        else backend.rowMeanVariance(tile, mu, var, count);
        if (rowSumSquares == null) rowSumSquares = new double[m];
        for (int i = 0; i < t; i++) {
            if (count[i] < n)
                throw new FactorizeInputException("feature " + source.rowIds().get(r0 + i) + " has " + (n - count[i])
                        + " missing values; impute them first (e.g. omx normalize --method half-minimum)");
            double v = n > 1 ? var[i] : 0;
            double s = 1;
            if (options.scale()) {
                s = v > 0 ? 1 / Math.sqrt(v) : 0;
                if (!(v > 0)) constantRows++;
            }
            mean[r0 + i] = options.center() ? mu[i] : 0;
            scale[r0 + i] = s;
            double ss = (n - 1) * v + (options.center() ? 0 : n * mu[i] * mu[i]);
            rowSumSquares[r0 + i] = s * s * ss;
        }
    }

    private int constantRows;

    /**
     * {@code Z = A_s^T A_s Q}: one pass; with a missingness correction {@code Z = D A_s^T A_s D Q + E Q}
     * (in the first pass, before D is known, {@code D A_s^T A_s Q + E D^-1 Q}: the operator applied to
     * the start {@code D^-1 Q}). With {@code keepB} also stores {@code B = A_s D Q} in {@link #lastB}.
     */
    private double[][] gramPass(double[][] qCols, int tileRows, boolean keepB) {
        int l = qCols.length;
        double[] d = missingness != null && momentsKnown ? missingness.sampleWeights() : null;
        double[][] xq = qCols;
        if (d != null) {
            xq = new double[l][n];
            for (int j = 0; j < l; j++) for (int i = 0; i < n; i++) xq[j][i] = qCols[j][i] * d[i];
        }
        double[][] bOut = keepB ? new double[l][m] : null;
        // Power iterations only steer the subspace, so their GEMMs accumulate in float32 (about twice
        // as fast on the CPU backend; relative error ~1e-6, far below what the subspace needs). Passes
        // whose products become the answer (B, and the corrected operator's last pass) accumulate in float64.
        Accumulation accumulation = keepB ? Accumulation.FLOAT64 : Accumulation.FLOAT32;
        float[] x = toRowMajorFloat(xq, n);
        FloatMatrix xm = FloatMatrix.wrap(x, n, l);
        double[] colSum = columnSums(x, n, l);
        float[] y = new float[tileRows * l];
        float[] zt = new float[n * l];
        double[] w = new double[l];
        boolean first = !momentsKnown;
        long[] done = {0};
        FusedRowPass fused = fusedPass(l, keepB);
        FusedRowPass.Factors xt = fused == null ? null : fused.factors(x);
        // Z = A_s^T A_s Q summed over tiles: n x l from the backend's GEMM, l x n from the fused pass
        double[] z = new double[n * l];
        source.forEachTile(tileRows, (tile, r0) -> {
            int t = tile.rows();
            int base = (int) r0;
            if (first) moments(tile, base);
            if (fused != null) {
                // CPU: both products from one read of each block of rows (see FusedRowPass)
                fused.run(tile, xt, (i0, rows, p, wb) -> {
                    double[] wPart = new double[l];
                    for (int i = 0; i < rows; i++) {
                        double mu = mean[base + i0 + i], s = scale[base + i0 + i], s2 = s * s;
                        for (int j = 0; j < l; j++) {
                            double v = s2 * (p[i * l + j] - mu * colSum[j]);
                            wb[i * l + j] = (float) v;
                            wPart[j] += mu * v;
                        }
                    }
                    synchronized (w) {
                        for (int j = 0; j < l; j++) w[j] += wPart[j];
                    }
                }, null, zt);
                for (int i = 0; i < n * l; i++) z[i] += zt[i];
                done[0] += t;
                progress(done[0]);
                return;
            }
            FloatMatrix ym = FloatMatrix.wrap(y, t, l);
            backend.gemm(Op.N, tile, Op.N, xm, 1f, 0f, ym, accumulation);
            for (int i = 0; i < t; i++) {
                double mu = mean[base + i], s = scale[base + i], s2 = s * s;
                for (int j = 0; j < l; j++) {
                    if (bOut != null) bOut[j][base + i] = s * (y[i * l + j] - mu * colSum[j]);
                    double p = s2 * (y[i * l + j] - mu * colSum[j]);
                    y[i * l + j] = (float) p;
                    w[j] += mu * p;
                }
            }
            FloatMatrix ztm = FloatMatrix.wrap(zt, n, l);
            backend.gemm(Op.T, tile, Op.N, ym, 1f, 0f, ztm, accumulation);
            for (int i = 0; i < n * l; i++) z[i] += zt[i];
            done[0] += t;
            progress(done[0]);
        });
        if (first) finishMoments();
        passes++;
        double[][] out = new double[l][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < l; j++) out[j][i] = (fused != null ? z[j * n + i] : z[i * l + j]) - w[j];
        if (missingness != null) {
            double[] dw = missingness.sampleWeights();
            double[] e = missingness.diagonalCorrection();
            for (int j = 0; j < l; j++)
                for (int i = 0; i < n; i++)
                    out[j][i] = dw[i] * out[j][i] + e[i] * (d == null ? qCols[j][i] / dw[i] : qCols[j][i]);
        }
        lastB = bOut;
        return out;
    }

    /**
     * The fused host pass for Gram passes that only steer the subspace (float32 accumulation) on the
     * CPU backend; null elsewhere (GPU backends, and passes whose products are the answer, which
     * accumulate in float64 through the backend).
     */
    private FusedRowPass fusedPass(int l, boolean keepB) {
        if (keepB || !"cpu".equals(backend.name()) || Boolean.getBoolean("omx.factorize.noFused")) return null;
        if (pool == null) {
            pool = new java.util.concurrent.ForkJoinPool(ctx.workers());
            if (!Boolean.getBoolean("omx.factorize.noWarmUp")) FusedRowPass.warmUp();
        }
        return new FusedRowPass(n, l, pool);
    }

    private java.util.concurrent.ForkJoinPool pool;

    private void finishMoments() {
        momentsKnown = true;
        if (constantRows > 0) ctx.log().accept("randomized SVD: " + constantRows + " constant features get weight 0 under scaling");
    }

    /** {@code B = A_s Q} (m x l, column arrays): one pass. */
    private double[][] projectPass(double[][] qCols, int tileRows) {
        int l = qCols.length;
        float[] x = toRowMajorFloat(qCols, n);
        FloatMatrix xm = FloatMatrix.wrap(x, n, l);
        double[] colSum = columnSums(x, n, l);
        float[] y = new float[tileRows * l];
        double[][] b = new double[l][m];
        boolean first = !momentsKnown;
        long[] done = {0};
        // CPU: the host kernel of the fused pass, its column chunks summed in float64 (see FusedRowPass.project)
        FusedRowPass fused = fusedPass(l, false);
        FusedRowPass.Factors xt = fused == null ? null : fused.factors(x);
        double[] yd = fused == null ? null : new double[tileRows * l];
        source.forEachTile(tileRows, (tile, r0) -> {
            int t = tile.rows();
            int base = (int) r0;
            if (first) moments(tile, base);
            if (fused != null) {
                fused.project(tile, options.center() ? mean : null, base, xt, yd);
                for (int i = 0; i < t; i++) {
                    double s = scale[base + i];
                    for (int j = 0; j < l; j++) b[j][base + i] = s * yd[i * l + j];
                }
                done[0] += t;
                progress(done[0]);
                return;
            }
            FloatMatrix ym = FloatMatrix.wrap(y, t, l);
            backend.gemm(Op.N, tile, Op.N, xm, 1f, 0f, ym, projectionAccumulation);
            for (int i = 0; i < t; i++) {
                double mu = mean[base + i], s = scale[base + i];
                for (int j = 0; j < l; j++) b[j][base + i] = s * (y[i * l + j] - mu * colSum[j]);
            }
            done[0] += t;
            progress(done[0]);
        });
        if (first) finishMoments();
        passes++;
        return b;
    }

    /** Square roots of the eigenvalues of {@code Q^T Z = Q^T A_s^T A_s Q}: the Ritz estimates of the singular values. */
    private static double[] ritzValues(double[][] qCols, double[][] z) {
        int l = qCols.length;
        double[][] h = new double[l][l];
        // Q^T Z = Q^T A^T A Q is symmetric: both triangles' dot products, averaged
        for (int a = 0; a < l; a++)
            for (int c = 0; c <= a; c++) {
                int len = qCols[a].length;
                double s = 0.5 * (LaneDot.dot(qCols[a], 0, z[c], 0, len) + LaneDot.dot(qCols[c], 0, z[a], 0, len));
                h[a][c] = s;
                h[c][a] = s;
            }
        double[] ev = JacobiSvd.decompose(h).s();
        double[] sv = new double[l];
        for (int j = 0; j < l; j++) sv[j] = Math.sqrt(Math.max(0, ev[j]));
        return sv;
    }

    private static double relativeChange(double[] previous, double[] current) {
        if (previous == null) return Double.NaN;
        double max = 0;
        for (int j = 0; j < Math.min(previous.length, current.length); j++)
            if (current[j] > 0) max = Math.max(max, Math.abs(current[j] - previous[j]) / current[j]);
        return max;
    }

    private static float[] toRowMajorFloat(double[][] cols, int rows) {
        int l = cols.length;
        float[] x = new float[rows * l];
        for (int j = 0; j < l; j++)
            for (int i = 0; i < rows; i++) x[i * l + j] = (float) cols[j][i];
        return x;
    }

    private static double[] columnSums(float[] x, int rows, int l) {
        double[] s = new double[l];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < l; j++) s[j] += x[i * l + j];
        return s;
    }

    /** {@code r[i][j]} (row-major square) as column arrays. */
    private static double[][] transposeToColumns(double[][] r) {
        int l = r.length;
        double[][] c = new double[l][l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++) c[j][i] = r[i][j];
        return c;
    }

    /** Makes the entry of largest magnitude of v positive, flipping u with it. */
    static void fixSign(double[] u, double[] v) {
        int arg = 0;
        for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[arg])) arg = i;
        if (v[arg] < 0) {
            for (int i = 0; i < u.length; i++) u[i] = -u[i];
            for (int i = 0; i < v.length; i++) v[i] = -v[i];
        }
    }
}
