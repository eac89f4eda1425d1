package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-gene evaluator gives the plain likelihood and derivative to the bit, in any call order. */
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
                if (derivFirst) assertEquals(NbDispersion.dLogPosterior(a, y, mu), g.dLogPosterior(a));
                assertEquals(NbDispersion.logPosterior(a, y, mu), g.logPosterior(a));
                assertEquals(NbDispersion.logPosterior(a, y, mu), g.logPosterior(a));
                assertEquals(NbDispersion.dLogPosterior(a, y, mu), g.dLogPosterior(a));
            }
        }
    }
}
