package org.omx.engine.simulate;

import java.util.random.RandomGenerator;

/**
 * The samplers the simulator needs, written against {@link RandomGenerator} so that each draw
 * consumes a fixed, documented part of its row's stream. Standard normals come from the JDK's
 * {@code nextGaussian} (a ziggurat, deterministic given the generator's state).
 */
final class Distributions {

    private Distributions() {
    }

    /**
     * Gamma(shape, scale 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma
     * variables"; for shape below 1, the boost Gamma(shape + 1) * U^(1/shape).
     */
    static double gamma(RandomGenerator rng, double shape) {
        if (!(shape > 0)) throw new IllegalArgumentException("gamma shape must be positive: " + shape);
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    static double beta(RandomGenerator rng, double a, double b) {
        double x = gamma(rng, a);
        double y = gamma(rng, b);
        double s = x + y;
        return s > 0 ? x / s : (rng.nextDouble() < a / (a + b) ? 1 : 0);
    }

    /**
     * Poisson(lambda): multiplication of uniforms (Knuth) below 30, else the transformed rejection
     * PTRS of Hörmann (1993), "The transformed rejection method for generating Poisson random
     * variables", with the constants of that paper.
     */
    static long poisson(RandomGenerator rng, double lambda) {
        if (lambda < 0 || Double.isNaN(lambda)) throw new IllegalArgumentException("Poisson mean " + lambda);
        if (lambda == 0) return 0;
        if (lambda < 30) {
            double limit = Math.exp(-lambda);
            double prod = rng.nextDouble();
            long k = 0;
            while (prod > limit) {
                prod *= rng.nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logGamma(k + 1)) return k;
        }
    }

    /**
     * Negative binomial with mean {@code mean} and dispersion {@code phi} (variance mean + phi *
     * mean^2), drawn as the gamma-Poisson mixture the RNA-seq models (DESeq2, edgeR) assume.
     */
    static long negativeBinomial(RandomGenerator rng, double mean, double phi) {
        if (mean <= 0) return 0;
        double shape = 1 / phi;
        double lambda = gamma(rng, shape) * mean * phi;
        return poisson(rng, lambda);
    }

    /** log Gamma(x) for x > 0, Lanczos approximation (g = 7, 9 terms), relative error near 1e-15. */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /**
     * The standard normal quantile, Acklam's rational approximation (relative error below 1.2e-9),
     * which is ample for thresholds and detection limits.
     */
    static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("probability outside (0, 1): " + p);
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) return -normalQuantile(1 - p);
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
