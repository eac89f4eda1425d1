package org.omx.engine.factorize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Joint NMF across omics layers: every layer {@code X_l} (features x samples, non-negative, aligned on
 * the common samples) is approximated by {@code W_l H} with one shared sample-factor matrix H
 * (k x samples) and per-layer loadings W_l (features x k). The loss is
 * {@code 0.5 sum_l lambda_l ||X_l - W_l H||_F^2}; with {@link LayerWeight#FROBENIUS} the weight is
 * {@code lambda_l = 1 / ||X_l||_F^2}, i.e. every layer is divided by its Frobenius norm, so no layer
 * dominates H by its size or its units (W_l stays in the layer's own units).
 *
 * <p>Lee and Seung multiplicative updates, W_l then H in each iteration:
 * {@code W_l <- W_l * (X_l H^T) / (W_l H H^T)} and
 * {@code H <- H * (sum_l lambda_l W_l^T X_l) / (sum_l lambda_l W_l^T W_l H)}; a zero denominator
 * becomes float32 epsilon as in {@link Nmf}. Both are Lee and Seung's update on the stacked matrix of
 * the {@code sqrt(lambda_l) X_l}, so the objective does not increase. Everything is in double on the
 * JVM heap (the layers are loaded by {@link JointNmfData}); row blocks of W run in parallel on the
 * common fork-join pool.
 *
 * <p>Init ({@link JointNmfInit}): NNDSVDa (default) or seeded random, both on the stacked weighted layers;
 * restart r > 0 is random with seed + r, as in {@link Nmf}; the best objective wins.
 */
public final class JointNmf {

    public enum LayerWeight { FROBENIUS, NONE }

    public enum Init { NNDSVDA, RANDOM }

    public record Options(int rank, int iterations, double tolerance, int restarts, long seed, LayerWeight weight, Init init) {
        public Options {
            if (rank < 1) throw new FactorizeInputException("rank (-k) must be at least 1, not " + rank);
            if (iterations < 1) throw new FactorizeInputException("--iterations must be at least 1, not " + iterations);
            if (restarts < 1) throw new FactorizeInputException("--restarts must be at least 1, not " + restarts);
            if (!(tolerance >= 0)) throw new FactorizeInputException("--tolerance must be >= 0, not " + tolerance);
        }
    }

    /**
     * @param w          per layer, features x k row-major, in the layer's units
     * @param h          k x samples row-major, shared
     * @param lambda     the layer weights used in the loss
     * @param objective  {@code 0.5 sum_l lambda_l ||X_l - W_l H||^2}, summed exactly at the end
     * @param trace      objective after each iteration
     */
    public record Result(int rank, List<double[]> w, double[] h, double[] lambda, double objective, List<Double> trace,
                         int iterations, boolean converged, long seed) {
    }

    static final double EPSILON = Nmf.EPSILON;

    private final JointNmfData data;
    private final Options options;
    private final FactorizeContext ctx;
    private final int k;
    private final int n;
    private final double[] lambda;
    private final double[] squaredNorm;
    private List<Block> blocks;

    private JointNmf(JointNmfData data, Options options, FactorizeContext ctx) {
        this.data = data;
        this.options = options;
        this.ctx = ctx;
        this.k = options.rank();
        this.n = data.samples();
        long features = 0;
        for (int l = 0; l < data.layers(); l++) features += data.features(l);
        if (k > Math.min(features, n))
            throw new FactorizeInputException("rank " + k + " is larger than the data allows: " + features + " features over "
                    + data.layers() + " layers x " + n + " common samples (at most " + Math.min(features, n) + ")");
        this.lambda = new double[data.layers()];
        this.squaredNorm = new double[data.layers()];
        for (int l = 0; l < data.layers(); l++) {
            double s = 0;
            for (double v : data.x().get(l)) s += v * v;
            squaredNorm[l] = s;
            if (!(s > 0)) throw new FactorizeInputException("layer " + data.layerNames().get(l) + " is all zero over the common samples");
            lambda[l] = options.weight() == LayerWeight.FROBENIUS ? 1 / s : 1;
        }
    }

    /** Runs {@code restarts} starts (the first from the init, the rest random with seeds seed + 1, ...) and returns the best objective. */
    public static Result fit(JointNmfData data, Options options, FactorizeContext ctx) {
        JointNmf j = new JointNmf(data, options, ctx);
        Result best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Init init = r == 0 ? options.init() : Init.RANDOM;
            double[][] start = init == Init.NNDSVDA ? JointNmfInit.nndsvda(data, j.lambda, j.k, options.seed(), ctx)
                    : JointNmfInit.random(data, j.lambda, j.k, options.seed() + r);
            List<double[]> w = new ArrayList<>();
            for (int l = 0; l < data.layers(); l++) w.add(start[l]);
            Result res = j.iterate(w, start[data.layers()], options.seed() + r);
            if (options.restarts() > 1)
                ctx.log().accept(String.format(Locale.ROOT, "joint NMF restart %d (%s init, seed %d): objective %.6g after %d iterations",
                        r + 1, init.name().toLowerCase(Locale.ROOT), options.seed() + r, res.objective(), res.iterations()));
            if (best == null || res.objective() < best.objective()) best = res;
        }
        return best;
    }

    /** From a given start: W_l (features x k) per layer and H (k x samples), row-major; copied. */
    public static Result fit(JointNmfData data, Options options, List<double[]> w0, double[] h0, FactorizeContext ctx) {
        JointNmf j = new JointNmf(data, options, ctx);
        List<double[]> w = new ArrayList<>();
        for (double[] a : w0) w.add(a.clone());
        return j.iterate(w, h0.clone(), options.seed());
    }

    private Result iterate(List<double[]> w, double[] h, long seed) {
        List<Double> trace = new ArrayList<>();
        double previous = Double.NaN;
        boolean converged = false;
        int it = 0;
        while (it < options.iterations()) {
            double objective = iteration(w, h);
            trace.add(objective);
            it++;
            ctx.progress().update(it, options.iterations());
            if (options.tolerance() > 0 && !Double.isNaN(previous) && (previous - objective) / Math.max(previous, 1e-300) < options.tolerance()) {
                converged = true;
                break;
            }
            previous = objective;
        }
        if (options.tolerance() > 0 && !converged)
            ctx.log().accept(String.format(Locale.ROOT, "joint NMF: not converged to --tolerance %g in %d iterations", options.tolerance(), it));
        return new Result(k, w, h, lambda.clone(), objective(w, h), List.copyOf(trace), it, converged, seed);
    }

    /** Rows of one layer updated together; blocks run in parallel, each with its own accumulators. */
    private record Block(int layer, int from, int to) {
    }

    /** Row blocks over all layers: about two per core, at least 64 rows, never spanning two layers. */
    private List<Block> blocks() {
        long features = 0;
        for (int l = 0; l < data.layers(); l++) features += data.features(l);
        int cores = Runtime.getRuntime().availableProcessors();
        int rows = (int) Math.max(64, (features + 2L * cores - 1) / (2L * cores));
        List<Block> out = new ArrayList<>();
        for (int l = 0; l < data.layers(); l++)
            for (int i = 0; i < data.features(l); i += rows) out.add(new Block(l, i, Math.min(data.features(l), i + rows)));
        return out;
    }

    /**
     * One iteration (every W_l, then H); returns the objective after it from the Gram identity, without
     * a residual pass. The blocks' partial sums are added in block order, so results do not depend on
     * thread scheduling.
     */
    private double iteration(List<double[]> w, double[] h) {
        double[] hht = gram(h, k, n);
        if (blocks == null) blocks = blocks();
        double[][] partNum = new double[blocks.size()][];
        double[][] partGram = new double[blocks.size()][];
        java.util.stream.IntStream.range(0, blocks.size()).parallel().forEach(b -> {
            Block blk = blocks.get(b);
            partNum[b] = new double[k * n];
            partGram[b] = new double[k * k];
            updateRows(data.x().get(blk.layer()), w.get(blk.layer()), lambda[blk.layer()], blk.from(), blk.to(), h, hht, partNum[b], partGram[b]);
        });
        double[] num = new double[k * n];   // sum_l lambda_l W_l^T X_l
        double[] wtwSum = new double[k * k]; // sum_l lambda_l W_l^T W_l
        for (int b = 0; b < blocks.size(); b++) {
            for (int i = 0; i < num.length; i++) num[i] += partNum[b][i];
            for (int i = 0; i < wtwSum.length; i++) wtwSum[i] += partGram[b][i];
        }
        double cross = 0; // sum_l lambda_l ||X_l||^2, for the objective
        for (int l = 0; l < data.layers(); l++) cross += lambda[l] * squaredNorm[l];
        // every denominator from the H entering the update, before any row of H changes
        double[] den2 = new double[k * n];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) {
                double g = wtwSum[a * k + b];
                if (g != 0) for (int j = 0; j < n; j++) den2[a * n + j] += g * h[b * n + j];
            }
        for (int i = 0; i < k * n; i++) h[i] *= num[i] / (den2[i] == 0 ? EPSILON : den2[i]);
        double inner = 0; // <sum lambda W^T X, H_new>
        for (int i = 0; i < k * n; i++) inner += num[i] * h[i];
        double[] hhtNew = gram(h, k, n);
        double quad = 0;
        for (int i = 0; i < k * k; i++) quad += wtwSum[i] * hhtNew[i];
        return 0.5 * Math.max(0, cross - 2 * inner + quad);
    }

    /** W rows {@code from..to-1} of one layer, then their weighted contributions to {@code W^T X} and {@code W^T W}. */
    private void updateRows(double[] x, double[] wl, double lam, int from, int to, double[] h, double[] hht, double[] num, double[] wtw) {
        double[] xht = new double[k];
        double[] den = new double[k];
        for (int i = from; i < to; i++) {
            int row = i * n;
            for (int a = 0; a < k; a++) xht[a] = dot(x, row, h, a * n, n);
            for (int a = 0; a < k; a++) {
                double d = 0;
                for (int b = 0; b < k; b++) d += wl[i * k + b] * hht[b * k + a];
                den[a] = d;
            }
            for (int a = 0; a < k; a++) wl[i * k + a] *= xht[a] / (den[a] == 0 ? EPSILON : den[a]);
            for (int a = 0; a < k; a++) {
                double c = lam * wl[i * k + a];
                if (c != 0) for (int j = 0; j < n; j++) num[a * n + j] += c * x[row + j];
                for (int b = 0; b < k; b++) wtw[a * k + b] += c * wl[i * k + b];
            }
        }
    }

    /** The objective summed over residuals (no cancellation). */
    double objective(List<double[]> w, double[] h) {
        double total = 0;
        for (int l = 0; l < data.layers(); l++) total += lambda[l] * residual(data.x().get(l), w.get(l), h, data.features(l), k, n);
        return 0.5 * total;
    }

    /** {@code ||X - W H||^2}. */
    static double residual(double[] x, double[] w, double[] h, int m, int k, int n) {
        double s = 0;
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x, i * n, row, 0, n);
            for (int a = 0; a < k; a++) {
                double c = w[i * k + a];
                if (c != 0) for (int j = 0; j < n; j++) row[j] -= c * h[a * n + j];
            }
            for (int j = 0; j < n; j++) s += row[j] * row[j];
        }
        return s;
    }

    static double[] gram(double[] h, int k, int n) {
        double[] g = new double[k * k];
        for (int a = 0; a < k; a++)
            for (int b = a; b < k; b++) {
                double d = dot(h, a * n, h, b * n, n);
                g[a * k + b] = d;
                g[b * k + a] = d;
            }
        return g;
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) s += x[xo + j] * y[yo + j];
        return s;
    }
}
