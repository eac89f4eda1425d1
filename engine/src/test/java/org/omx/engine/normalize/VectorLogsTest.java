package org.omx.engine.normalize;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorized log is within 1 ulp of Math.log over [1, 1e12] and exact at powers of two. */
class VectorLogsTest {

    @Test
    void logWithinOneUlp() {
        Assumptions.assumeTrue(VectorLogs.AVAILABLE, "no Vector API module");
        Random r = new Random(11);
        int n = 100_003;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 4) {
                case 0 -> 1 + r.nextDouble() * 1e-6;
                case 1 -> 1 + r.nextDouble();
                case 2 -> Math.exp(r.nextDouble() * 27.6);
                default -> Math.sqrt(2) * (1 + (r.nextDouble() - 0.5) * 1e-9) * Math.scalb(1.0, r.nextInt(40));
            };
        }
        x[0] = 1;
        x[1] = 2;
        x[2] = 1024;
        double[] out = new double[n];
        VectorLogs.log(x, out);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.log(x[i]);
            double ulps = e == 0 ? Math.abs(out[i]) : Math.abs(out[i] - e) / Math.ulp(e);
            worst = Math.max(worst, ulps);
        }
        System.out.printf("vector log: worst %.2f ulp vs Math.log%n", worst);
        assertTrue(worst <= 1, "worst " + worst + " ulp");
        assertEquals(0.0, out[0]);
        assertEquals(Math.log(2), out[1], Math.ulp(Math.log(2)));
    }

    @Test
    void fillGivesLogAndReciprocal() {
        Assumptions.assumeTrue(VectorLogs.AVAILABLE, "no Vector API module");
        double[] mu = {0.5, 3, 1e5, 7.25, 0.5, 12, 99, 1, 2, 3, 4};
        double alpha = 0.37;
        double[] l = new double[mu.length];
        double[] rc = new double[mu.length];
        VectorLogs.fill(mu, alpha, l, rc);
        for (int j = 0; j < mu.length; j++) {
            double p = 1 + mu[j] * alpha;
            assertEquals(Math.log(p), l[j], Math.ulp(Math.log(p)));
            assertEquals(1 / p, rc[j]);
        }
    }
}
