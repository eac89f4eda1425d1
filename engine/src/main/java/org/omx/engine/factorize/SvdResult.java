package org.omx.engine.factorize;

import java.util.List;

/**
 * A truncated SVD of the (centered, scaled) features x samples matrix {@code A_s = S (A - mu 1^T)}:
 * {@code A_s ~ U diag(sigma) V^T}. Matrices are column arrays ({@code u[j]} is component j over
 * features, {@code v[j]} over samples). Signs are fixed so that each {@code v[j]}'s entry of largest
 * magnitude is positive (as scikit-learn's {@code svd_flip} does on the sample side).
 *
 * @param sigma           singular values, descending
 * @param u               loadings: features x k, orthonormal columns
 * @param v               sample-side singular vectors: samples x k, orthonormal columns
 * @param center          per-feature value subtracted (0 without centering)
 * @param scale           per-feature factor applied after centering (1 without scaling; 0 drops a constant feature)
 * @param totalSumSquares {@code ||A_s||_F^2}: the denominator of the proportion of variance explained
 * @param passes          passes over the data this computation made
 * @param trace           per pass: the Ritz estimates of the top singular values and their largest relative change
 */
public record SvdResult(double[] sigma, double[][] u, double[][] v, double[] center, double[] scale,
                        double totalSumSquares, int passes, List<PassTrace> trace,
                        List<String> rowIds, List<String> colIds) {

    /** One pass of the range finder: what it did and the singular value estimates after it. */
    public record PassTrace(int pass, String step, double[] sigmaEstimate, double maxRelativeChange, double seconds) {
    }

    public int rank() {
        return sigma.length;
    }

    /** {@code sigma_j^2 / ||A_s||_F^2}. */
    public double[] proportionExplained() {
        double[] p = new double[sigma.length];
        for (int j = 0; j < p.length; j++) p[j] = sigma[j] * sigma[j] / totalSumSquares;
        return p;
    }

    /** {@code sigma_j^2 / divisor}: n - 1 for covariance eigenvalues (PCA), M variants for the GRM (plink2). */
    public double[] eigenvalues(double divisor) {
        double[] e = new double[sigma.length];
        for (int j = 0; j < e.length; j++) e[j] = sigma[j] * sigma[j] / divisor;
        return e;
    }

    /** Principal component scores of sample i: {@code V diag(sigma)}, samples x k. */
    public double score(int sample, int component) {
        return v[component][sample] * sigma[component];
    }
}
