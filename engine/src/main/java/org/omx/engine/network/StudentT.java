package org.omx.engine.network;

/**
 * Student's t tail probabilities through the regularized incomplete beta function,
 * {@code P(|T| > |t|) = I_x(df / 2, 1 / 2)} with {@code x = df / (df + t^2)}, evaluated by its continued
 * fraction with the modified Lentz method (accurate to about 1e-14 relative).
 */
public final class StudentT {

    private StudentT() {
    }

    public static double twoSidedP(double t, double df) {
        if (Double.isNaN(t)) return Double.NaN;
        double x = df / (df + t * t);
        return regularizedBeta(x, df / 2, 0.5);
    }

    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        // the continued fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use the symmetry
        if (x < (a + 1) / (a + b + 2)) return Math.exp(lnFront) * continuedFraction(x, a, b) / a;
        return 1 - Math.exp(lnFront) * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double f = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + num / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            f *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + num / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-15) break;
        }
        return f;
    }

    /** Lanczos approximation (g = 7, 9 terms), relative error below 1e-14 for positive arguments. */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) s += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
