package org.omx.engine.factorize;

/**
 * Variance explained by a joint NMF, the MOFA-style table: for layer l and factor a,
 * {@code R^2 = 1 - ||X_l - w_{l,a} h_a||^2 / ||X_l||^2} (the layer reconstructed from that factor
 * alone), and per layer {@code 1 - ||X_l - W_l H||^2 / ||X_l||^2} with all factors. The total sum of
 * squares is uncentered because NMF has no intercept: it is the fraction of the layer's sum of squares.
 * NMF factors are not orthogonal, so the per-factor figures need not add up to the total.
 */
public record JointNmfVariance(double[][] perFactor, double[] total) {

    /** {@code perFactor[factor][layer]}, {@code total[layer]}. */
    public static JointNmfVariance of(JointNmfData data, JointNmf.Result r) {
        int k = r.rank(), n = data.samples(), layers = data.layers();
        double[][] per = new double[k][layers];
        double[] total = new double[layers];
        double[] hh = new double[k];
        for (int a = 0; a < k; a++) for (int j = 0; j < n; j++) hh[a] += r.h()[a * n + j] * r.h()[a * n + j];
        for (int l = 0; l < layers; l++) {
            double[] x = data.x().get(l), w = r.w().get(l);
            int m = data.features(l);
            double ss = 0;
            for (double v : x) ss += v * v;
            for (int a = 0; a < k; a++) {
                double cross = 0, ww = 0;
                for (int i = 0; i < m; i++) {
                    double c = w[i * k + a];
                    ww += c * c;
                    if (c == 0) continue;
                    double d = 0;
                    for (int j = 0; j < n; j++) d += x[i * n + j] * r.h()[a * n + j];
                    cross += c * d;
                }
                // ||X - w h||^2 = ||X||^2 - 2 <X, w h> + ||w||^2 ||h||^2
                per[a][l] = (2 * cross - ww * hh[a]) / ss;
            }
            total[l] = 1 - JointNmf.residual(x, w, r.h(), m, k, n) / ss;
        }
        return new JointNmfVariance(per, total);
    }
}
