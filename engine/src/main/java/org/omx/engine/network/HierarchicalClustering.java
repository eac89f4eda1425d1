package org.omx.engine.network;

import org.omx.kernels.api.FloatMatrix;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Average-linkage (UPGMA) agglomerative clustering with the nearest-neighbour-chain algorithm
 * (Murtagh 1983; see Müllner 2011, arXiv:1109.2378): O(n^2) time and no memory beyond the n x n
 * dissimilarity, which may be a mapped file. Average linkage is reducible, so merging reciprocal
 * nearest neighbours as the chain finds them gives the same dendrogram as the textbook
 * closest-pair-first order; the merges are then sorted by height and labelled as R's {@code hclust}
 * does (singletons -1..-n, clusters by merge step; a singleton is listed before a cluster, the
 * smaller label first otherwise).
 *
 * <p>The dissimilarity is overwritten: rows and columns of merged clusters receive the Lance-Williams
 * update {@code d(k, a+b) = (n_a d(k, a) + n_b d(k, b)) / (n_a + n_b)}, in float32 (heights agree with
 * R's double computation to about 1e-6).
 */
public final class HierarchicalClustering {

    /** R's hclust result: {@code merge} is (n - 1) x 2, {@code height} non-decreasing, {@code order} the leaf order. */
    public record Tree(int[][] merge, double[] height, int[] order) {
        public int size() {
            return height.length + 1;
        }
    }

    private HierarchicalClustering() {
    }

    /** Clusters the n objects of the symmetric dissimilarity {@code d}, which is destroyed. */
    public static Tree averageLinkage(FloatMatrix d) {
        int n = d.rows();
        if (n < 2) return new Tree(new int[0][2], new double[0], n == 1 ? new int[]{1} : new int[0]);
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        int[] chain = new int[n];
        int top = 0;
        int[] ma = new int[n - 1];
        int[] mb = new int[n - 1];
        double[] mh = new double[n - 1];
        int steps = 0;
        int firstActive = 0;
        float[] row = new float[n];
        float[] rk = new float[n];
        float[] rd = new float[n];
        while (steps < n - 1) {
            if (top == 0) {
                while (!active[firstActive]) firstActive++;
                chain[top++] = firstActive;
            }
            int a = chain[top - 1];
            int prev = top >= 2 ? chain[top - 2] : -1;
            d.copyRow(a, row, 0);
            // nearest active neighbour of a; on ties the previous element of the chain wins, so the chain ends,
            // else the first index at the minimum
            int b = nearest(row, active, n, a);
            if (prev >= 0 && row[prev] <= row[b]) b = prev;
            double best = row[b];
            if (b == prev) {
                top -= 2;
                int keep = Math.min(a, b);
                int drop = Math.max(a, b);
                ma[steps] = a;
                mb[steps] = b;
                mh[steps] = best;
                steps++;
                double wa = size[keep];
                double wb = size[drop];
                d.copyRow(keep, rk, 0);
                d.copyRow(drop, rd, 0);
                active[drop] = false;
                for (int k = 0; k < n; k++) {
                    if (!active[k] || k == keep) continue;
                    float v = (float) ((wa * rk[k] + wb * rd[k]) / (wa + wb));
                    rk[k] = v;
                    d.set(k, keep, v);
                }
                d.setRow(keep, rk, 0);
                size[keep] += size[drop];
            } else {
                chain[top++] = b;
            }
        }
        return label(n, ma, mb, mh);
    }

    /**
     * The first index of the smallest {@code row[k]} over k < n with {@code active[k]} and k != skip (-1 when
     * none). A plain scalar loop: C1 and C2 both compile it well, where a Vector API version runs
     * un-intrinsified (boxed lanes) until C2 gets to it, which is most of a single run.
     */
    static int nearest(float[] row, boolean[] active, int n, int skip) {
        int best = -1;
        float min = Float.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            float v = row[k];
            if (v < min && active[k] && k != skip) {
                min = v;
                best = k;
            }
        }
        if (best < 0) for (int k = 0; k < n; k++) if (active[k] && k != skip) return k;   // all +infinity
        return best;
    }

    /** Sorts merges by height (stable) and names them as R does, via union-find on representatives. */
    static Tree label(int n, int[] ma, int[] mb, double[] mh) {
        Integer[] idx = new Integer[n - 1];
        for (int i = 0; i < n - 1; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> mh[i]));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        int[] label = new int[n];
        for (int i = 0; i < n; i++) label[i] = -(i + 1);
        int[][] merge = new int[n - 1][2];
        double[] height = new double[n - 1];
        for (int s = 0; s < n - 1; s++) {
            int m = idx[s];
            int ra = find(parent, ma[m]);
            int rb = find(parent, mb[m]);
            int la = label[ra];
            int lb = label[rb];
            boolean swap = (la > 0 && lb < 0) || (la < 0 && lb < 0 && la < lb) || (la > 0 && lb > 0 && la > lb);
            merge[s][0] = swap ? lb : la;
            merge[s][1] = swap ? la : lb;
            height[s] = mh[m];
            parent[rb] = ra;
            label[ra] = s + 1;
        }
        return new Tree(merge, height, order(merge, n));
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** Leaf order of the dendrogram, left branch first (R's {@code hclust$order}), 1-based. */
    static int[] order(int[][] merge, int n) {
        int[] out = new int[n];
        int pos = 0;
        int[] stack = new int[n];
        int sp = 0;
        stack[sp++] = n - 1;
        while (sp > 0) {
            int node = stack[--sp];
            if (node < 0) {
                out[pos++] = -node;
                continue;
            }
            int[] m = merge[node - 1];
            stack[sp++] = m[1];
            stack[sp++] = m[0];
        }
        return out;
    }

    /** Leaves (0-based object indices) under each merge step, for cutting the tree. */
    static int[] members(int[][] merge, int step, int n) {
        int[] out = new int[n];
        int pos = 0;
        int[] stack = new int[n];
        int sp = 0;
        stack[sp++] = step;
        while (sp > 0) {
            int node = stack[--sp];
            if (node < 0) out[pos++] = -node - 1;
            else {
                stack[sp++] = merge[node - 1][0];
                stack[sp++] = merge[node - 1][1];
            }
        }
        return Arrays.copyOf(out, pos);
    }
}
