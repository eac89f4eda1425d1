package org.omx.engine.normalize;

/**
 * Gene-wise negative binomial dispersion for the intercept-only design, as DESeq2 1.38's
 * {@code estimateDispersionsGeneEst} computes it (Love, Huber and Anders 2014): the starting value
 * is the smaller of the rough and the moments estimates; the Cox-Reid adjusted profile log
 * likelihood in log(alpha) is then maximised by DESeq2's own line search (gradient steps with the
 * Armijo rule, kappa_0 = 1, tolerance 1e-6, at most 100 steps), with its rules kept: a fit that
 * does not raise the likelihood by a millionth keeps the starting value, and one that does not
 * converge is redone on DESeq2's grid (20 points from log(1e-8) to log(max(10, n)), then 20 finer).
 * Following the same path, rather than a different optimiser to the same maximum, keeps the
 * estimates of flat likelihoods (dispersions near 0) where DESeq2 leaves them.
 */
final class NbDispersion {

    static final double MIN_DISP = 1e-8;
    static final double KAPPA_0 = 1;
    static final double TOL = 1e-6;
    static final int MAXIT = 100;
    static final double MIN_MU = 0.5;
    private static final double ARMIJO_EPSILON = 1e-4;

    private NbDispersion() {
    }

    /**
     * @param y   raw counts of one gene
     * @param sf  size factors
     * @param xim mean of 1 / size factor
     * @return the gene-wise estimate, within [MIN_DISP, max(10, n)]; NaN for an all-zero gene
     */
    static double geneEstimate(double[] y, double[] sf, double xim) {
        return geneEstimate(y, sf, xim, new Workspace(y.length));
    }

    /**
     * Scratch arrays for {@link #geneEstimate} sized for one gene of n samples, reused gene after
     * gene by one thread: a pass over 20,000 genes would otherwise allocate (and the first time,
     * page in) about 100 KB of fresh arrays per gene.
     */
    static final class Workspace {
        final int n;
        final double[] q;
        final double[] mu;
        final double[] distinct;
        final int[] idx;
        final double[] table;
        final double[] log1pMuAlpha;
        final double[] recip;
        /** Direct slots for whole counts below {@link #directLimit}; all 0 between genes. */
        final int[] direct;
        final int directLimit;
        /** Open-addressing hash for other counts; slots all -1 between genes. */
        final long[] keys;
        final int[] hashSlot;

        Workspace(int n) {
            this.n = n;
            q = new double[n];
            mu = new double[n];
            distinct = new double[n];
            idx = new int[n];
            table = new double[n];
            log1pMuAlpha = new double[n];
            recip = new double[n];
            directLimit = 4 * n + 16;
            direct = new int[directLimit];
            int cap = Integer.highestOneBit(Math.max(4, n)) << 2;
            keys = new long[cap];
            hashSlot = new int[cap];
            java.util.Arrays.fill(hashSlot, -1);
        }
    }

    static double geneEstimate(double[] y, double[] sf, double xim, Workspace ws) {
        int n = y.length;
        if (ws.n != n) throw new IllegalArgumentException("workspace for " + ws.n + " samples, gene has " + n);
        double maxDisp = Math.max(10, n);
        double[] q = ws.q;
        double bm = 0;
        double total = 0;
        for (int j = 0; j < n; j++) {
            q[j] = y[j] / sf[j];
            bm += q[j];
            total += y[j];
        }
        if (total == 0) return Double.NaN;
        bm /= n;
        double bv = 0;
        for (int j = 0; j < n; j++) bv += (q[j] - bm) * (q[j] - bm);
        bv /= n - 1;
        // roughDispEstimate: linear-model mean of normalized counts, floored at 1
        double muRough = Math.max(1, bm);
        double rough = 0;
        for (int j = 0; j < n; j++) rough += ((q[j] - muRough) * (q[j] - muRough) - muRough) / (muRough * muRough);
        rough = Math.max(rough / (n - 1), 0);
        double moments = (bv - xim * bm) / (bm * bm);
        double init = Math.min(Math.max(MIN_DISP, Math.min(rough, moments)), maxDisp);
        double[] mu = ws.mu;
        for (int j = 0; j < n; j++) mu[j] = Math.max(bm * sf[j], MIN_MU);

        // fitDisp: line search on log(alpha)
        Gene gene = new Gene(y, mu, ws);
        double a = Math.log(init);
        double minLogAlpha = Math.log(MIN_DISP / 10);
        double lp = gene.logPosterior(a);
        double dlp = gene.dLogPosterior(a);
        double kappa = KAPPA_0;
        double initialLp = lp;
        int iter = 0;
        int accepted = 0;
        for (int t = 0; t < MAXIT; t++) {
            iter++;
            double propose = a + kappa * dlp;
            if (propose < -30) kappa = (-30 - a) / dlp;
            if (propose > 10) kappa = (10 - a) / dlp;
            double thetaKappa = -gene.logPosterior(a + kappa * dlp);
            double thetaHatKappa = -lp - kappa * ARMIJO_EPSILON * dlp * dlp;
            if (thetaKappa <= thetaHatKappa) {
                accepted++;
                a = a + kappa * dlp;
                double lpNew = gene.logPosterior(a); // the value just computed for the test: cached
                double change = lpNew - lp;
                if (change < TOL) {
                    lp = lpNew;
                    break;
                }
                if (a < minLogAlpha) break;
                lp = lpNew;
                dlp = gene.dLogPosterior(a);
                kappa = Math.min(kappa * 1.1, KAPPA_0);
                if (accepted % 5 == 0) kappa = kappa / 2;
            } else {
                kappa = kappa / 2;
            }
        }
        double est = Math.min(Math.exp(a), maxDisp);
        if (lp < initialLp + Math.abs(initialLp) / 1e6) est = init;
        boolean converged = iter < MAXIT && iter != 1;
        if (!converged && est > MIN_DISP * 10) est = Math.exp(grid(gene, n));
        return Math.min(Math.max(est, MIN_DISP), maxDisp);
    }

    /** DESeq2's {@code fitDispGrid}: best of 20 log-spaced values, then of 20 around it. */
    private static double grid(Gene gene, int n) {
        double lo = Math.log(1e-8);
        double hi = Math.log(Math.max(10, n));
        int points = 20;
        double delta = (hi - lo) / (points - 1);
        double best = lo;
        double bestLp = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < points; t++) {
            double a = lo + t * delta;
            double lp = gene.logPosterior(a);
            if (lp > bestLp) {
                bestLp = lp;
                best = a;
            }
        }
        double center = best;
        double fineStep = 2 * delta / (points - 1);
        bestLp = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < points; t++) {
            double a = center - delta + t * fineStep;
            double lp = gene.logPosterior(a);
            if (lp > bestLp) {
                bestLp = lp;
                best = a;
            }
        }
        return best;
    }

    /** Cox-Reid adjusted profile log likelihood of log(alpha), intercept-only design, no prior. */
    static double logPosterior(double logAlpha, double[] y, double[] mu) {
        double alpha = Math.exp(logAlpha);
        double inv = 1 / alpha;
        double ll = 0;
        double w = 0;
        double lgInv = GammaFunctions.lgamma(inv);
        for (int j = 0; j < y.length; j++) {
            ll += GammaFunctions.lgamma(y[j] + inv) - lgInv - y[j] * Math.log(mu[j] + inv) - inv * Math.log(1 + mu[j] * alpha);
            w += 1 / (1 / mu[j] + alpha);
        }
        return ll - 0.5 * Math.log(w);
    }

    /** Derivative of {@link #logPosterior} with respect to log(alpha). */
    static double dLogPosterior(double logAlpha, double[] y, double[] mu) {
        double alpha = Math.exp(logAlpha);
        double inv = 1 / alpha;
        double dgInv = GammaFunctions.digamma(inv);
        double ll = 0;
        double w = 0;
        double dw = 0;
        for (int j = 0; j < y.length; j++) {
            double ma = mu[j] * alpha;
            ll += dgInv + Math.log(1 + ma) - ma / (1 + ma) - GammaFunctions.digamma(y[j] + inv) + y[j] / (mu[j] + inv);
            double d = 1 / mu[j] + alpha;
            w += 1 / d;
            dw -= 1 / (d * d);
        }
        return (inv * inv * ll - 0.5 * dw / w) * alpha;
    }

    /**
     * {@link #logPosterior} and {@link #dLogPosterior} of one gene, the same functions rearranged to
     * cost one log and one division per sample and alpha: log Gamma and digamma of
     * {@code y + 1/alpha}, less their value at {@code 1/alpha}, once per distinct count rather than per
     * sample; {@code log(mu + 1/alpha) = log(1 + mu alpha) - log(alpha)}; and, with
     * {@code r = 1 / (1 + mu alpha)}, {@code 1 / (1/mu + alpha) = mu r},
     * {@code y / (mu + 1/alpha) = y alpha r} and {@code ma / (1 + ma) = mu alpha r}. {@code log(1 + mu alpha)}
     * and {@code r} are shared by the likelihood and its derivative at the same alpha, and the last
     * value of each is kept, since the line search asks again for the value at the point it has just
     * accepted. Not the same to the bit as the plain functions (a few ulps of the summands).
     */
    static final class Gene {
        private final double[] y;
        private final double[] mu;
        /** Distinct counts (the first {@link #nu} entries), and each sample's index among them. */
        private final double[] uy;
        private final int nu;
        private final int[] idx;
        private final double[] table;
        private final double[] log1pMuAlpha;
        private final double[] recip;
        private long logAlphaBits = 0x7ff8000000000001L; // no alpha yet (a NaN no caller passes)
        private long lpBits = logAlphaBits;
        private long dlpBits = logAlphaBits;
        private double lp;
        private double dlp;

        Gene(double[] y, double[] mu) {
            this(y, mu, new Workspace(y.length));
        }

        /** Uses the workspace's arrays (so one gene at a time per workspace) and leaves its slot tables clean. */
        Gene(double[] y, double[] mu, Workspace ws) {
            int n = y.length;
            this.y = y;
            this.mu = mu;
            // distinct counts in order of first appearance: small whole counts (the usual case) index
            // a direct table; otherwise an open-addressing hash on the bits
            double[] distinct = ws.distinct;
            idx = ws.idx;
            int u = 0;
            double max = 0;
            boolean whole = true;
            for (int j = 0; j < n; j++) {
                double v = y[j];
                if (!(v >= 0 && v == (int) v)) whole = false;
                else if (v > max) max = v;
            }
            if (whole && max < ws.directLimit) {
                int[] slot = ws.direct;
                for (int j = 0; j < n; j++) {
                    int c = (int) y[j];
                    int sl = slot[c] - 1;
                    if (sl < 0) {
                        sl = u;
                        slot[c] = u + 1;
                        distinct[u++] = y[j];
                    }
                    idx[j] = sl;
                }
                for (int k = 0; k < u; k++) slot[(int) distinct[k]] = 0;
            } else {
                long[] keys = ws.keys;
                int[] slot = ws.hashSlot;
                int cap = slot.length;
                for (int j = 0; j < n; j++) {
                    long k = Double.doubleToLongBits(y[j]);
                    int h = (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & (cap - 1);
                    while (slot[h] >= 0 && keys[h] != k) h = (h + 1) & (cap - 1);
                    if (slot[h] < 0) {
                        keys[h] = k;
                        slot[h] = u;
                        distinct[u++] = y[j];
                    }
                    idx[j] = slot[h];
                }
                for (int k = 0; k < u; k++) {   // clear exactly the slots used
                    long key = Double.doubleToLongBits(distinct[k]);
                    int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & (cap - 1);
                    while (keys[h] != key || slot[h] < 0) h = (h + 1) & (cap - 1);
                    slot[h] = -1;
                }
            }
            uy = distinct;
            nu = u;
            table = ws.table;
            log1pMuAlpha = ws.log1pMuAlpha;
            recip = ws.recip;
        }

        /** Fills {@code log(1 + mu alpha)} and {@code 1 / (1 + mu alpha)} for this log(alpha), unless already there. */
        private void logs(double logAlpha, double alpha) {
            long bits = Double.doubleToRawLongBits(logAlpha);
            if (bits == logAlphaBits) return;
            double[] m = mu;
            double[] l = log1pMuAlpha;
            double[] r = recip;
            if (VectorLogs.AVAILABLE) {
                VectorLogs.fill(m, alpha, l, r);
                logAlphaBits = bits;
                return;
            }
            for (int j = 0; j < m.length; j++) {
                double p = 1 + m[j] * alpha;
                l[j] = Math.log(p);
                r[j] = 1 / p;
            }
            logAlphaBits = bits;
        }

        double logPosterior(double logAlpha) {
            long bits = Double.doubleToRawLongBits(logAlpha);
            if (bits == lpBits) return lp;
            double alpha = Math.exp(logAlpha);
            double inv = 1 / alpha;
            logs(logAlpha, alpha);
            double lgInv = GammaFunctions.lgamma(inv);
            double[] t = table;
            if (VectorLogs.AVAILABLE) VectorLogs.lgammaTable(uy, nu, inv, lgInv, t);
            else for (int u = 0; u < nu; u++) t[u] = GammaFunctions.lgamma(uy[u] + inv) - lgInv;
            double[] yy = y;
            double[] m = mu;
            double[] l = log1pMuAlpha;
            double[] r = recip;
            int[] ix = idx;
            double ll = 0;
            double w = 0;
            for (int j = 0; j < yy.length; j++) {
                double lj = l[j];
                ll += t[ix[j]] - yy[j] * (lj - logAlpha) - inv * lj;
                w += m[j] * r[j];
            }
            lp = ll - 0.5 * Math.log(w);
            lpBits = bits;
            return lp;
        }

        double dLogPosterior(double logAlpha) {
            long bits = Double.doubleToRawLongBits(logAlpha);
            if (bits == dlpBits) return dlp;
            double alpha = Math.exp(logAlpha);
            double inv = 1 / alpha;
            logs(logAlpha, alpha);
            double dgInv = GammaFunctions.digamma(inv);
            double[] t = table;
            if (VectorLogs.AVAILABLE) VectorLogs.digammaTable(uy, nu, inv, dgInv, t);
            else for (int u = 0; u < nu; u++) t[u] = dgInv - GammaFunctions.digamma(uy[u] + inv);
            double[] yy = y;
            double[] m = mu;
            double[] l = log1pMuAlpha;
            double[] r = recip;
            int[] ix = idx;
            double ll = 0;
            double w = 0;
            double dw = 0;
            for (int j = 0; j < yy.length; j++) {
                double rj = r[j];
                ll += t[ix[j]] + l[j] + (yy[j] - m[j]) * alpha * rj;
                double v = m[j] * rj;
                w += v;
                dw -= v * v;
            }
            dlp = (inv * inv * ll - 0.5 * dw / w) * alpha;
            dlpBits = bits;
            return dlp;
        }
    }
}
