package org.omx.engine.network;

import java.util.HashMap;
import java.util.Map;

/** Hubert and Arabie's (1985) adjusted Rand index between two labelings (1 = identical up to renaming). */
public final class AdjustedRandIndex {

    private AdjustedRandIndex() {
    }

    public static double of(int[] a, int[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("labelings of different lengths");
        Map<Long, Integer> cells = new HashMap<>();
        Map<Integer, Integer> rows = new HashMap<>();
        Map<Integer, Integer> cols = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            cells.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, Integer::sum);
            rows.merge(a[i], 1, Integer::sum);
            cols.merge(b[i], 1, Integer::sum);
        }
        double index = cells.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
        double sa = rows.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
        double sb = cols.values().stream().mapToDouble(AdjustedRandIndex::pairs).sum();
        double expected = sa * sb / pairs(a.length);
        double max = (sa + sb) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    private static double pairs(int n) {
        return n * (n - 1) / 2.0;
    }
}
