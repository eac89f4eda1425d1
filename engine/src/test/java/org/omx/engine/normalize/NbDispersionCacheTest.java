package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-gene evaluator gives the plain likelihood and derivative, in any call order. It is the
 * same function rearranged (one log and one division per sample), so it agrees to rounding: within
 * 1e-12 of the size of the summands (for the derivative, times the 1/alpha it is scaled by); the
 * estimates themselves are checked against DESeq2's in VstTest.
 */
class NbDispersionCacheTest {

    @Test
    void geneEvaluatorMatchesPlainFunctions() {
        Random r = new Random(3);
        for (int t = 0; t < 200; t++) {
            int n = 2 + r.nextInt(300);
            double[] y = new double[n];
            double[] mu = new double[n];
            int max = 1 + r.nextInt(t % 2 == 0 ? 5 : 5000);
            for (int j = 0; j < n; j++) {
                y[j] = r.nextInt(max + 1);
                mu[j] = Math.max(0.5, max * (0.2 + r.nextDouble()));
            }
            NbDispersion.Gene g = new NbDispersion.Gene(y, mu);
            for (int k = 0; k < 12; k++) {
                double a = -20 + 25 * r.nextDouble();
                boolean derivFirst = r.nextBoolean();
                double lpTol = 1e-12 * lpScale(a, y, mu);
                double dlpTol = 1e-12 * dlpScale(a, y, mu);
                if (derivFirst) assertEquals(NbDispersion.dLogPosterior(a, y, mu), g.dLogPosterior(a), dlpTol);
                assertEquals(NbDispersion.logPosterior(a, y, mu), g.logPosterior(a), lpTol);
                assertEquals(NbDispersion.logPosterior(a, y, mu), g.logPosterior(a), lpTol);
                assertEquals(NbDispersion.dLogPosterior(a, y, mu), g.dLogPosterior(a), dlpTol);
            }
        }
    }

    @Test
    void repeatedCallsReturnTheSameValue() {
        double[] y = {0, 3, 7, 7, 120, 0, 1};
        double[] mu = {0.5, 4, 6, 9, 80, 2, 1.5};
        NbDispersion.Gene g = new NbDispersion.Gene(y, mu);
        double lp = g.logPosterior(-2.5);
        double dlp = g.dLogPosterior(-2.5);
        g.logPosterior(0.7);
        g.dLogPosterior(1.1);
        assertEquals(lp, g.logPosterior(-2.5));
        assertEquals(dlp, g.dLogPosterior(-2.5));
        assertTrue(Double.isFinite(lp) && Double.isFinite(dlp));
    }

    /** Sum of the magnitudes of the likelihood's summands. */
    private static double lpScale(double logAlpha, double[] y, double[] mu) {
        double alpha = Math.exp(logAlpha);
        double inv = 1 / alpha;
        double lgInv = GammaFunctions.lgamma(inv);
        double s = 1;
        for (int j = 0; j < y.length; j++)
            s += Math.abs(GammaFunctions.lgamma(y[j] + inv)) + Math.abs(lgInv) + Math.abs(y[j] * Math.log(mu[j] + inv))
                    + Math.abs(inv * Math.log(1 + mu[j] * alpha));
        return s;
    }

    /** Sum of the magnitudes of the derivative's summands, times the 1/alpha it is scaled by. */
    private static double dlpScale(double logAlpha, double[] y, double[] mu) {
        double alpha = Math.exp(logAlpha);
        double inv = 1 / alpha;
        double s = 0;
        for (int j = 0; j < y.length; j++)
            s += Math.abs(GammaFunctions.digamma(inv)) + Math.abs(GammaFunctions.digamma(y[j] + inv)) + Math.log(1 + mu[j] * alpha)
                    + 1 + y[j] / (mu[j] + inv);
        return 1 + inv * s + y.length / alpha;
    }

    @Test
    void a_reused_workspace_gives_the_bits_of_a_fresh_one() {
        java.util.Random r = new java.util.Random(3);
        int n = 40;
        double[] sf = new double[n];
        for (int j = 0; j < n; j++) sf[j] = 0.5 + r.nextDouble();
        double xim = 0;
        for (double f : sf) xim += 1 / f / n;
        NbDispersion.Workspace shared = new NbDispersion.Workspace(n);
        for (int gene = 0; gene < 300; gene++) {
            double[] y = new double[n];
            double scale = switch (gene % 3) { case 0 -> 5; case 1 -> 5000; default -> 1e6; };   // direct table, hash, hash
            for (int j = 0; j < n; j++) y[j] = Math.floor(scale * sf[j] * r.nextDouble());
            if (gene % 7 == 0) y[3] += 0.5;   // a non-integer: the hash path
            double fresh = NbDispersion.geneEstimate(y, sf, xim);
            double reused = NbDispersion.geneEstimate(y, sf, xim, shared);
            assertEquals(Double.doubleToRawLongBits(fresh), Double.doubleToRawLongBits(reused), "gene " + gene);
        }
    }
}
