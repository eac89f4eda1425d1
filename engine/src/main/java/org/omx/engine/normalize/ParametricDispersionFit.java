package org.omx.engine.normalize;

/**
 * DESeq2's parametric dispersion trend {@code alpha(mu) = asymptDisp + extraPois / mu}
 * ({@code parametricDispersionFit}): a gamma-family GLM with identity link of the gene-wise
 * estimates on 1 / mean, refitted on the genes whose estimate lies within [1e-4, 15] times the
 * current trend, until the coefficients move by less than 1e-6 in squared log ratio. The GLM is
 * fitted by R's {@code glm.fit} iteration (IRLS from the previous coefficients, weights 1 / mu^2,
 * stop when the deviance changes by less than 1e-8 relative, at most 25 steps).
 */
final class ParametricDispersionFit {

    record Coefficients(double asymptDisp, double extraPois) {
    }

    private ParametricDispersionFit() {
    }

    /** Throws IllegalStateException where DESeq2 would fail (it then falls back to a local fit). */
    static Coefficients fit(double[] means, double[] disps) {
        double c0 = 0.1;
        double c1 = 1;
        int n = means.length;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int iter = 0; ; iter++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                double r = disps[i] / (c0 + c1 / means[i]);
                if (r > 1e-4 && r < 15) {
                    x[m] = 1 / means[i];
                    y[m] = disps[i];
                    m++;
                }
            }
            double[] start = {c0, c1};
            boolean converged = gammaIdentityGlm(x, y, m, start);
            double o0 = c0;
            double o1 = c1;
            c0 = start[0];
            c1 = start[1];
            if (!(c0 > 0 && c1 > 0))
                throw new IllegalStateException("parametric dispersion fit failed (coefficients " + c0 + ", " + c1 + ")");
            double l0 = Math.log(c0 / o0);
            double l1 = Math.log(c1 / o1);
            if (l0 * l0 + l1 * l1 < 1e-6 && converged) return new Coefficients(c0, c1);
            if (iter + 1 > 10) throw new IllegalStateException("dispersion fit did not converge");
        }
    }

    /** IRLS for y ~ b0 + b1 x, Gamma family, identity link; {@code coef} holds the start and receives the fit. */
    static boolean gammaIdentityGlm(double[] x, double[] y, int n, double[] coef) {
        double b0 = coef[0];
        double b1 = coef[1];
        double devOld = deviance(x, y, n, b0, b1);
        for (int it = 0; it < 25; it++) {
            // working weights 1/mu^2 (variance mu^2, d mu / d eta = 1); working response y
            double sw = 0, swx = 0, swxx = 0, swy = 0, swxy = 0;
            for (int i = 0; i < n; i++) {
                double mu = b0 + b1 * x[i];
                double w = 1 / (mu * mu);
                sw += w;
                swx += w * x[i];
                swxx += w * x[i] * x[i];
                swy += w * y[i];
                swxy += w * x[i] * y[i];
            }
            double det = sw * swxx - swx * swx;
            double n0 = (swxx * swy - swx * swxy) / det;
            double n1 = (sw * swxy - swx * swy) / det;
            double dev = deviance(x, y, n, n0, n1);
            // glm.fit halves the step while the fitted means leave the family's domain
            int halvings = 0;
            while (!Double.isFinite(dev) && halvings++ < 30) {
                n0 = (n0 + b0) / 2;
                n1 = (n1 + b1) / 2;
                dev = deviance(x, y, n, n0, n1);
            }
            b0 = n0;
            b1 = n1;
            if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-8) {
                coef[0] = b0;
                coef[1] = b1;
                return true;
            }
            devOld = dev;
        }
        coef[0] = b0;
        coef[1] = b1;
        return false;
    }

    /** Gamma deviance; +Infinity when a fitted mean is not positive. */
    private static double deviance(double[] x, double[] y, int n, double b0, double b1) {
        double d = 0;
        for (int i = 0; i < n; i++) {
            double mu = b0 + b1 * x[i];
            if (!(mu > 0)) return Double.POSITIVE_INFINITY;
            d += -2 * (Math.log(y[i] == 0 ? 1 : y[i] / mu) - (y[i] - mu) / mu);
        }
        return d;
    }
}
