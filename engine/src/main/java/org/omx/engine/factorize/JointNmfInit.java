package org.omx.engine.factorize;

import org.omx.kernels.api.FloatMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Starts for {@link JointNmf}, both on the weighted stack {@code [sqrt(lambda_1) X_1; sqrt(lambda_2) X_2; ...]}
 * (features of all layers one after the other, shared samples): joint NMF with weights lambda is plain
 * NMF of that stack with {@code W'_l = sqrt(lambda_l) W_l}, so each start is the single-matrix one
 * there, and W'_l is divided by {@code sqrt(lambda_l)} back to the layer's units.
 * <ul>
 *   <li>random: scikit-learn's {@code sqrt(mu / k) |N(0, 1)|}, mu the mean of the stack;</li>
 *   <li>NNDSVDa: {@link NndSvd} from an uncentered randomized SVD of the stack, as {@link Nmf} does.</li>
 * </ul>
 */
final class JointNmfInit {

    private JointNmfInit() {
    }

    /** {W_0, ..., W_{L-1}, H}. */
    static double[][] random(JointNmfData data, double[] lambda, int k, long seed) {
        int n = data.samples();
        double avg = Math.sqrt(stackMean(data, lambda) / k);
        Random r = new Random(seed);
        double[][] out = new double[data.layers() + 1][];
        double[] h = new double[k * n];
        for (int i = 0; i < h.length; i++) h[i] = avg * Math.abs(r.nextGaussian());
        out[data.layers()] = h;
        for (int l = 0; l < data.layers(); l++) {
            double[] w = new double[data.features(l) * k];
            double back = 1 / Math.sqrt(lambda[l]);
            for (int i = 0; i < w.length; i++) w[i] = back * avg * Math.abs(r.nextGaussian());
            out[l] = w;
        }
        return out;
    }

    /** {W_0, ..., W_{L-1}, H}. */
    static double[][] nndsvda(JointNmfData data, double[] lambda, int k, long seed, FactorizeContext ctx) {
        WeightedStack stack = new WeightedStack(data, lambda);
        int small = (int) Math.min(stack.rows(), stack.cols());
        SvdResult svd = RandomizedSvd.computeApproximate(stack, new RandomizedSvd.Options(k, 10, k < 0.1 * small ? 7 : 4,
                RandomizedSvd.Method.SUBSPACE, false, false, 100, seed), ctx);
        double[][] wh = NndSvd.initialize(svd, true, stackMean(data, lambda));
        double[][] out = new double[data.layers() + 1][];
        out[data.layers()] = wh[1];
        int offset = 0;
        for (int l = 0; l < data.layers(); l++) {
            int len = data.features(l) * k;
            double[] w = new double[len];
            double back = 1 / Math.sqrt(lambda[l]);
            for (int i = 0; i < len; i++) w[i] = back * wh[0][offset + i];
            out[l] = w;
            offset += len;
        }
        return out;
    }

    private static double stackMean(JointNmfData data, double[] lambda) {
        double sum = 0;
        long cells = 0;
        for (int l = 0; l < data.layers(); l++) {
            double s = 0;
            for (double v : data.x().get(l)) s += v;
            sum += Math.sqrt(lambda[l]) * s;
            cells += data.x().get(l).length;
        }
        return sum / cells;
    }

    /** The weighted stack as float tiles for the randomized SVD. */
    static final class WeightedStack implements RowSource {
        private final JointNmfData data;
        private final double[] lambda;
        private final List<String> rowIds = new ArrayList<>();

        WeightedStack(JointNmfData data, double[] lambda) {
            this.data = data;
            this.lambda = lambda;
            for (int l = 0; l < data.layers(); l++) for (String f : data.featureIds().get(l)) rowIds.add(data.layerNames().get(l) + ":" + f);
        }

        @Override
        public long rows() {
            return rowIds.size();
        }

        @Override
        public int cols() {
            return data.samples();
        }

        @Override
        public List<String> rowIds() {
            return rowIds;
        }

        @Override
        public List<String> colIds() {
            return data.sampleIds();
        }

        @Override
        public long bytesPerTileRow() {
            return 4L * cols();
        }

        @Override
        public void forEachTile(int tileRows, TileVisitor visitor) {
            int n = cols();
            float[] buf = new float[tileRows * n];
            long r0 = 0;
            for (int l = 0; l < data.layers(); l++) {
                double[] x = data.x().get(l);
                double f = Math.sqrt(lambda[l]);
                int m = data.features(l);
                for (int i0 = 0; i0 < m; i0 += tileRows) {
                    int t = Math.min(tileRows, m - i0);
                    for (int i = 0; i < t * n; i++) buf[i] = (float) (f * x[i0 * n + i]);
                    visitor.accept(FloatMatrix.wrap(buf, t, n), r0 + i0);
                }
                r0 += m;
            }
        }

        @Override
        public String describe() {
            return data.layers() + " weighted layers stacked (" + rows() + " features x " + cols() + " samples)";
        }
    }
}
