package org.omx.engine.factorize;

/**
 * Non-negative double SVD initialization for NMF (Boutsidis and Gallopoulos, "SVD based
 * initialization: A head start for nonnegative matrix factorization", Pattern Recognition 2008): each
 * singular triplet is split into its positive and negative parts and the dominant pair is kept.
 * NNDSVDa fills the zeros with the mean of the data (better for multiplicative updates, which
 * cannot move a zero). Values below 1e-6 become 0, as in scikit-learn.
 */
final class NndSvd {

    private static final double ZERO = 1e-6;

    private NndSvd() {
    }

    /** {W (features x k, row-major), H (k x samples, row-major)} from an uncentered truncated SVD. */
    static double[][] initialize(SvdResult svd, boolean fillWithMean, double mean) {
        int k = svd.rank();
        int m = svd.u()[0].length;
        int n = svd.v()[0].length;
        double[] w = new double[m * k];
        double[] h = new double[k * n];
        for (int j = 0; j < k; j++) {
            double[] x = svd.u()[j], y = svd.v()[j];
            double s = svd.sigma()[j];
            if (j == 0) {
                // the leading singular vectors of a non-negative matrix have one sign
                for (int i = 0; i < m; i++) w[i * k] = Math.sqrt(s) * Math.abs(x[i]);
                for (int i = 0; i < n; i++) h[i] = Math.sqrt(s) * Math.abs(y[i]);
                continue;
            }
            double xpn = 0, xnn = 0, ypn = 0, ynn = 0;
            for (double v : x) if (v > 0) xpn += v * v; else xnn += v * v;
            for (double v : y) if (v > 0) ypn += v * v; else ynn += v * v;
            xpn = Math.sqrt(xpn);
            xnn = Math.sqrt(xnn);
            ypn = Math.sqrt(ypn);
            ynn = Math.sqrt(ynn);
            double mp = xpn * ypn, mn = xnn * ynn;
            boolean positive = mp > mn;
            double sigma = positive ? mp : mn;
            double xn = positive ? xpn : xnn, yn = positive ? ypn : ynn;
            double lbd = Math.sqrt(s * sigma);
            for (int i = 0; i < m; i++) {
                double v = positive ? Math.max(x[i], 0) : Math.max(-x[i], 0);
                w[i * k + j] = xn > 0 ? lbd * v / xn : 0;
            }
            for (int i = 0; i < n; i++) {
                double v = positive ? Math.max(y[i], 0) : Math.max(-y[i], 0);
                h[j * n + i] = yn > 0 ? lbd * v / yn : 0;
            }
        }
        for (int i = 0; i < w.length; i++) if (w[i] < ZERO) w[i] = fillWithMean ? mean : 0;
        for (int i = 0; i < h.length; i++) if (h[i] < ZERO) h[i] = fillWithMean ? mean : 0;
        return new double[][]{w, h};
    }
}
