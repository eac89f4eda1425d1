package org.omx.engine.normalize;

import org.omx.io.InputFormatException;
import org.omx.io.store.MatrixStore;
import org.omx.io.store.StoreMeta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * k-nearest-neighbour imputation of missing values, feature-wise as in {@code impute::impute.knn}
 * (Troyanskaya et al. 2001), the KNN most metabolomics pipelines use (MetaboAnalyst's "KNN,
 * feature-wise"): for each feature with missing values, the k other features closest to it by
 * Euclidean distance over the samples both have observed (the mean squared difference over those
 * samples, so features missing different samples compare fairly), and each missing value becomes the
 * average of those neighbours' values in that sample, over the neighbours that have it.
 *
 * <p>Stated handling, as impute.knn: a sample (column) with more than {@code colmax} of its features
 * missing is an error naming it; a feature with more than {@code trunc(rowmax * samples)} missing
 * values is filled with the sample's mean instead and is no one's neighbour; a value whose k
 * neighbours all lack that sample also gets the sample's mean. Sample means are over the observed
 * values of the features that take part (impute 1.72's {@code mean.miss} also counts the matrix's
 * first element as 0 through an indexing slip; we do not, so only those fallback values differ).
 * Unlike impute.knn, more than {@code maxp = 1500} features are not split into clusters first: the
 * neighbours are searched among all features. Both counts are logged.
 *
 * <p>Passes: one scan for missing counts and sample means; the features with missing values are
 * held in memory (one float per sample each) while a second scan finds their neighbours tile by
 * tile; the output pass reads neighbours' values by row from the mapping.
 */
public final class KnnImputation implements Normalization {

    private final int k;
    private final double rowmax;
    private final double colmax;

    public KnnImputation(int k, double rowmax, double colmax) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        if (!(rowmax >= 0 && rowmax <= 1) || !(colmax >= 0 && colmax <= 1))
            throw new IllegalArgumentException("rowmax and colmax are fractions in [0, 1]");
        this.k = k;
        this.rowmax = rowmax;
        this.colmax = colmax;
    }

    public KnnImputation(int k) {
        this(k, 0.5, 0.8);
    }

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("k", String.valueOf(k));
        p.put("by", "feature");
        p.put("distance", "euclidean, mean over co-observed samples");
        p.put("rowmax", String.valueOf(rowmax));
        p.put("colmax", String.valueOf(colmax));
        return p;
    }

    @Override
    public String units(String inputUnits) {
        return inputUnits;
    }

    @Override
    public StoreMeta apply(MatrixStore in, Path out, boolean overwrite, NormalizeContext ctx) throws IOException, InputFormatException {
        if (in.rows() > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 features");
        int p = (int) in.rows();
        int n = in.cols();
        int maxMissing = (int) (rowmax * n);
        int[] rowMissing = new int[p];
        long[] colMissing = new long[n];
        double[] colSum = new double[n];
        long[] colCount = new long[n];
        StoreTransform.scan(in, ctx, (tile, r0) -> {
            for (int i = 0; i < tile.rows(); i++) {
                int m = 0;
                for (int j = 0; j < n; j++) if (Float.isNaN(tile.get(i, j))) m++;
                rowMissing[(int) r0 + i] = m;
                for (int j = 0; j < n; j++) {
                    float v = tile.get(i, j);
                    if (Float.isNaN(v)) colMissing[j]++;
                    else if (m <= maxMissing) {
                        if (Float.isInfinite(v)) throw new InputFormatException(in.path(), "knn: infinite value at feature "
                                + in.featureIds().get((int) r0 + i) + ", sample " + in.sampleIds().get(j));
                        colSum[j] += v;
                        colCount[j]++;
                    }
                }
            }
        });
        for (int j = 0; j < n; j++)
            if (colMissing[j] > colmax * p) throw new InputFormatException(in.path(), "knn: sample " + in.sampleIds().get(j)
                    + " has " + colMissing[j] + " of " + p + " features missing, more than colmax = " + colmax);
        double[] colMean = new double[n];
        for (int j = 0; j < n; j++) colMean[j] = colCount[j] > 0 ? colSum[j] / colCount[j] : Double.NaN;

        // the features to impute by neighbours, held in memory
        int[] targets = IntStream.range(0, p).filter(i -> rowMissing[i] > 0 && rowMissing[i] <= maxMissing).toArray();
        long meanRows = IntStream.range(0, p).filter(i -> rowMissing[i] > maxMissing).count();
        int t = targets.length;
        float[] tv = new float[t * n];
        for (int a = 0; a < t; a++) in.copyRow(targets[a], tv, a * n);
        double[] bestD = new double[t * k];
        int[] bestI = new int[t * k];
        int[] found = new int[t];
        Arrays.fill(bestD, Double.POSITIVE_INFINITY);
        Arrays.fill(bestI, -1);
        if (t > 0) {
            StoreTransform.scan(in, ctx, (tile, r0) -> {
                float[] row = new float[n];
                int rows = tile.rows();
                float[] block = new float[rows * n];
                for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) block[i * n + j] = tile.get(i, j);
                IntStream.range(0, t).parallel().forEach(a -> {
                    int self = targets[a];
                    int off = a * n;
                    for (int i = 0; i < rows; i++) {
                        int b = (int) r0 + i;
                        if (b == self || rowMissing[b] > maxMissing) continue;
                        double ss = 0;
                        int co = 0;
                        int bo = i * n;
                        for (int j = 0; j < n; j++) {
                            float x = tv[off + j];
                            float y = block[bo + j];
                            if (Float.isNaN(x) || Float.isNaN(y)) continue;
                            double d = (double) x - y;
                            ss += d * d;
                            co++;
                        }
                        if (co == 0) continue;
                        insert(bestD, bestI, a * k, k, ss / co, b);
                    }
                });
            });
        }

        // neighbour averages for the missing values of each target
        Map<Integer, float[]> filled = new java.util.HashMap<>();
        long[] fallback = new long[1];
        float[] nb = new float[n];
        for (int a = 0; a < t; a++) {
            float[] v = Arrays.copyOfRange(tv, a * n, a * n + n);
            double[] sum = new double[n];
            int[] cnt = new int[n];
            for (int q = 0; q < k; q++) {
                int b = bestI[a * k + q];
                if (b < 0) break;
                in.copyRow(b, nb, 0);
                for (int j = 0; j < n; j++)
                    if (Float.isNaN(v[j]) && !Float.isNaN(nb[j])) {
                        sum[j] += nb[j];
                        cnt[j]++;
                    }
            }
            for (int j = 0; j < n; j++) {
                if (!Float.isNaN(v[j])) continue;
                if (cnt[j] > 0) v[j] = (float) (sum[j] / cnt[j]);
                else {
                    v[j] = (float) colMean[j];
                    fallback[0]++;
                }
            }
            filled.put(targets[a], v);
        }
        StoreMeta meta = StoreTransform.mapRows(in, out, overwrite, StoreTransform.describe(in, this), ctx, (src, dst, r0) -> {
            for (int i = 0; i < src.rows(); i++) {
                int r = (int) r0 + i;
                float[] v = filled.get(r);
                for (int j = 0; j < n; j++) {
                    float x = v != null ? v[j] : src.get(i, j);
                    if (Float.isNaN(x)) x = (float) colMean[j];
                    dst.set(i, j, x);
                }
            }
        });
        if (meanRows > 0) ctx.log().accept("knn: " + meanRows + " features with more than " + maxMissing + " of " + n
                + " values missing (rowmax " + rowmax + ") filled with sample means");
        if (fallback[0] > 0) ctx.log().accept("knn: " + fallback[0] + " values whose " + k
                + " neighbours all lack that sample filled with the sample mean");
        return meta;
    }

    /** Keeps the k smallest distances for one target in ascending order; an equal distance keeps the earlier feature. */
    private static void insert(double[] d, int[] idx, int base, int k, double dist, int feature) {
        if (!(dist < d[base + k - 1])) return;
        int pos = base + k - 1;
        while (pos > base && dist < d[pos - 1]) {
            d[pos] = d[pos - 1];
            idx[pos] = idx[pos - 1];
            pos--;
        }
        d[pos] = dist;
        idx[pos] = feature;
    }
}
