package org.omx.engine.simulate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DistributionsTest {

    private static double[] moments(double[] x) {
        double m = 0;
        for (double v : x) m += v / x.length;
        double s = 0;
        for (double v : x) s += (v - m) * (v - m) / (x.length - 1);
        return new double[] {m, s};
    }

    @Test
    void poisson_mean_and_variance_equal_lambda_on_both_branches() {
        SplittableRandom r = new SplittableRandom(1);
        for (double lambda : new double[] {0.3, 5, 29, 31, 400, 20_000}) {
            double[] x = new double[40_000];
            for (int i = 0; i < x.length; i++) x[i] = Distributions.poisson(r, lambda);
            double[] m = moments(x);
            assertEquals(lambda, m[0], 5 * Math.sqrt(lambda / x.length), "mean at " + lambda);
            assertEquals(lambda, m[1], 0.05 * lambda + 0.02, "variance at " + lambda);
        }
    }

    @Test
    void gamma_beta_and_negative_binomial_moments() {
        SplittableRandom r = new SplittableRandom(2);
        for (double shape : new double[] {0.4, 1, 7.5}) {
            double[] x = new double[40_000];
            for (int i = 0; i < x.length; i++) x[i] = Distributions.gamma(r, shape);
            double[] m = moments(x);
            assertEquals(shape, m[0], 0.03 * shape + 0.01);
            assertEquals(shape, m[1], 0.08 * shape);
        }
        double[] b = new double[40_000];
        for (int i = 0; i < b.length; i++) b[i] = Distributions.beta(r, 0.5, 4.5);
        assertEquals(0.1, moments(b)[0], 0.005);
        double[] nb = new double[40_000];
        for (int i = 0; i < nb.length; i++) nb[i] = Distributions.negativeBinomial(r, 50, 0.2);
        double[] m = moments(nb);
        assertEquals(50, m[0], 1);
        assertEquals(50 + 0.2 * 2500, m[1], 0.08 * 550);
    }

    @Test
    void normal_quantile_and_log_gamma_match_known_values() {
        assertEquals(0, Distributions.normalQuantile(0.5), 1e-12);
        assertEquals(1.959963984540054, Distributions.normalQuantile(0.975), 1e-8);
        assertEquals(-2.326347874040841, Distributions.normalQuantile(0.01), 1e-8);
        assertEquals(Math.log(120), Distributions.logGamma(6), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), Distributions.logGamma(0.5), 1e-12);
    }

    @Test
    void seeds_differ_by_stream_and_index() {
        assertNotEquals(Seeds.derive(1, "gene", 0), Seeds.derive(1, "gene", 1));
        assertNotEquals(Seeds.derive(1, "gene", 0), Seeds.derive(1, "counts", 0));
        assertNotEquals(Seeds.derive(1, "gene", 0), Seeds.derive(2, "gene", 0));
        assertEquals(Seeds.derive(1, "gene", 5), Seeds.derive(1, "gene", 5));
    }
}
