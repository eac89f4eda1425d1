package org.omx.engine.network;

import org.junit.jupiter.api.Test;
import org.omx.kernels.api.FloatMatrix;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class HierarchicalClusteringTest {

    @Test
    void nearestIsTheFirstActiveMinimumOtherThanSkip() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n : new int[]{2, 15, 16, 17, 100, 1031}) {
            float[] row = new float[n];
            boolean[] active = new boolean[n];
            for (int rep = 0; rep < 20; rep++) {
                for (int k = 0; k < n; k++) {
                    row[k] = 0.125f * rnd.nextInt(8);   // ties, so "first" matters
                    active[k] = rnd.nextInt(4) != 0;
                }
                int skip = rnd.nextInt(n);
                active[skip] = true;
                active[(skip + 1) % n] = true;
                // reference: the minimum first, then the first index holding it
                float min = Float.POSITIVE_INFINITY;
                for (int k = 0; k < n; k++) if (active[k] && k != skip) min = Math.min(min, row[k]);
                int ref = 0;
                while (!(active[ref] && ref != skip && row[ref] == min)) ref++;
                assertEquals(ref, HierarchicalClustering.nearest(row, active, n, skip), "n " + n);
            }
        }
        assertEquals(1, HierarchicalClustering.nearest(new float[]{0, Float.POSITIVE_INFINITY}, new boolean[]{true, true}, 2, 0));
        assertEquals(-1, HierarchicalClustering.nearest(new float[]{0, 1}, new boolean[]{true, false}, 2, 0));
    }

    @Test
    void tiesGiveTheSameHeightsAsAnyOrderWould() {
        // many equal dissimilarities: every merge happens at a value present in the matrix, heights non-decreasing
        int n = 40;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = 0.25f * (1 + rnd.nextInt(3));
        HierarchicalClustering.Tree t = HierarchicalClustering.averageLinkage(FloatMatrix.wrap(d, n, n));
        assertEquals(n - 1, t.height().length);
        assertEquals(0.25, t.height()[0], 1e-7);
        for (int s = 1; s < n - 1; s++) assertTrue(t.height()[s] >= t.height()[s - 1]);
        assertEquals(n, java.util.Arrays.stream(t.order()).distinct().count());
    }
}
