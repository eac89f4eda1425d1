package org.omx.engine.network;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.FloatMatrix;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The features shared by several stores, matched by feature ID, in the first store's order, and where
 * each shared feature sits in every store. A consensus network runs on these rows only.
 */
public record SetAlignment(List<String> features, int[][] rowsOf, long[] storeFeatures, List<String> paths) {

    public static SetAlignment of(List<MatrixStore> stores) {
        List<Map<String, Integer>> index = new ArrayList<>();
        for (MatrixStore s : stores) {
            Map<String, Integer> m = new HashMap<>();
            List<String> ids = s.featureIds();
            for (int i = 0; i < ids.size(); i++)
                if (m.put(ids.get(i), i) != null)
                    throw new NetworkInputException(s.path() + ": feature ID " + ids.get(i) + " appears twice; consensus sets are matched by feature ID");
            index.add(m);
        }
        List<String> shared = new ArrayList<>();
        for (String id : stores.getFirst().featureIds()) {
            boolean all = true;
            for (Map<String, Integer> m : index) all &= m.containsKey(id);
            if (all) shared.add(id);
        }
        long[] sizes = stores.stream().mapToLong(MatrixStore::rows).toArray();
        List<String> paths = stores.stream().map(s -> s.path().toString()).toList();
        if (shared.size() < 2)
            throw new NetworkInputException(String.format(Locale.ROOT,
                    "the %d sets share %d feature IDs (need at least 2): %s", stores.size(), shared.size(), String.join(", ", paths)));
        int[][] rows = new int[stores.size()][shared.size()];
        for (int s = 0; s < stores.size(); s++)
            for (int f = 0; f < shared.size(); f++) rows[s][f] = index.get(s).get(shared.get(f));
        return new SetAlignment(List.copyOf(shared), rows, sizes, paths);
    }

    /** One log line: how many features each set has and how many are shared. */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "consensus: %d features shared by all %d sets (", features.size(), paths.size()));
        for (int s = 0; s < paths.size(); s++)
            sb.append(s == 0 ? "" : "; ").append(String.format(Locale.ROOT, "set %d %s: %d features, %d not shared",
                    s + 1, paths.get(s), storeFeatures[s], storeFeatures[s] - features.size()));
        return sb.append(')').toString();
    }

    /** Bytes of the in-memory copies {@link #rows} makes (for sets whose rows are not already the shared ones in order). */
    public long copyBytes(List<MatrixStore> stores) {
        long total = 0;
        for (int s = 0; s < stores.size(); s++) if (!identity(stores.get(s), s)) total += 4L * features.size() * stores.get(s).cols();
        return total;
    }

    private boolean identity(MatrixStore store, int s) {
        boolean same = store.rows() == features.size();
        for (int f = 0; f < features.size() && same; f++) same = rowsOf[s][f] == f;
        return same;
    }

    /**
     * The shared features of store {@code s} as a features x samples matrix: the store's own mapped data
     * when its rows already are the shared features in order, else a copy in {@code arena}.
     */
    FloatMatrix rows(MatrixStore store, int s, Arena arena) {
        int g = features.size();
        int n = store.cols();
        FloatMatrix all = new FloatMatrix(store.data(), 0, (int) store.rows(), n, n);
        if (identity(store, s)) return all;
        FloatMatrix out = FloatMatrix.allocate(arena, g, n);
        float[] row = new float[n];
        for (int f = 0; f < g; f++) {
            all.copyRow(rowsOf[s][f], row, 0);
            out.setRow(f, row, 0);
        }
        return out;
    }
}
