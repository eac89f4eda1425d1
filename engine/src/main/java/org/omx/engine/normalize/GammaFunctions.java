package org.omx.engine.normalize;

/**
 * log Gamma and digamma for positive arguments, to about 1e-15 relative: the argument is shifted up
 * by the recurrence until it is at least 10, where the asymptotic (Stirling / de Moivre) series
 * converge fast. For large arguments lgamma is written as R's {@code lgammafn} writes it,
 * {@code log(sqrt(2 pi)) + (x - 0.5) log x - x + correction}, so that differences of two large
 * lgamma values (the negative binomial likelihood at small dispersion) cancel as they do in DESeq2.
 */
final class GammaFunctions {

    private static final double LN_SQRT_2PI = 0.918938533204672741780329736406;

    private GammaFunctions() {
    }

    /** ln Γ(x) for x > 0. */
    static double lgamma(double x) {
        if (!(x > 0)) return x == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        if (x >= 10) return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x + stirlingCorrection(x);
        double shift = 0;
        double prod = 1;
        while (x < 10) {
            prod *= x;
            // keep the product in range for tiny arguments
            if (prod < 1e-250 || prod > 1e250) {
                shift += Math.log(prod);
                prod = 1;
            }
            x += 1;
        }
        shift += Math.log(prod);
        return LN_SQRT_2PI + (x - 0.5) * Math.log(x) - x + stirlingCorrection(x) - shift;
    }

    /** lgamma(x) - [(x - 0.5) ln x - x + ln sqrt(2 pi)] for x >= 10 (Stirling series). */
    private static double stirlingCorrection(double x) {
        double r = 1 / x;
        double r2 = r * r;
        return r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680 + r2 * (1.0 / 1188
                + r2 * (-691.0 / 360360 + r2 * (1.0 / 156)))))));
    }

    /** ψ(x) = d/dx ln Γ(x) for x > 0. */
    static double digamma(double x) {
        if (!(x > 0)) return Double.NaN;
        double acc = 0;
        while (x < 10) {
            acc -= 1 / x;
            x += 1;
        }
        double r = 1 / x;
        double r2 = r * r;
        return acc + Math.log(x) - 0.5 * r - r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240
                - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 / 12))))));
    }
}
