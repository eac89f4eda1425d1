package org.omx.engine.factorize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a joint NMF, aligned on the samples they all share (in the first layer's order, as
 * {@link Mfa} matches them) and held in double: {@code x.get(l)} is layer l, features x samples,
 * row-major. The matrices are loaded whole, so their size is checked against the memory budget
 * first; nothing features x features is ever formed.
 */
public record JointNmfData(List<String> layerNames, List<List<String>> featureIds, List<String> sampleIds, List<double[]> x) {

    public int layers() {
        return x.size();
    }

    public int features(int layer) {
        return featureIds.get(layer).size();
    }

    public int samples() {
        return sampleIds.size();
    }

    /**
     * Reads the layers' common samples; refuses missing and negative values naming the layer, the
     * feature and the sample, and data that would not fit half the memory budget.
     */
    public static JointNmfData load(List<Mfa.Layer> layers, long memoryBytes) {
        if (layers.size() < 2) throw new FactorizeInputException("joint NMF needs at least 2 layers, got " + layers.size());
        List<String> samples = Mfa.commonSamples(layers);
        int n = samples.size();
        long cells = 0;
        for (Mfa.Layer l : layers) {
            if (l.store().rows() < 1) throw new FactorizeInputException("layer " + l.name() + " has no features");
            cells += l.store().rows() * (long) n;
        }
        // the matrices plus W, H and the per-iteration products stay well under this
        if (8 * cells > memoryBytes / 2 || cells > Integer.MAX_VALUE - 64)
            throw new FactorizeInputException(String.format(java.util.Locale.ROOT,
                    "joint NMF holds the layers in memory: %d values over %d common samples need %d MiB, more than half of --memory (%d MiB)",
                    cells, n, (8 * cells) >> 20, memoryBytes >> 20));
        List<double[]> xs = new ArrayList<>();
        List<List<String>> features = new ArrayList<>();
        for (Mfa.Layer layer : layers) {
            Map<String, Integer> index = new HashMap<>();
            List<String> ids = layer.store().sampleIds();
            for (int j = 0; j < ids.size(); j++) index.putIfAbsent(ids.get(j), j);
            StoreRows src = new StoreRows(layer.store(), samples.stream().mapToInt(index::get).toArray());
            int m = (int) src.rows();
            double[] x = new double[m * n];
            float[] row = new float[n];
            src.forEachTile((int) Math.min(m, 4096), (tile, r0) -> {
                for (int i = 0; i < tile.rows(); i++) {
                    int f = (int) r0 + i;
                    tile.copyRow(i, row, 0);
                    for (int j = 0; j < n; j++) {
                        float v = row[j];
                        if (!(v >= 0))
                            throw new FactorizeInputException("layer " + layer.name() + ", feature " + src.rowIds().get(f) + ", sample "
                                    + samples.get(j) + ": " + (Float.isNaN(v) ? "missing value" : "negative value " + v)
                                    + "; joint NMF needs complete non-negative data (counts or abundances, not centered or log-ratio data)");
                        x[f * n + j] = v;
                    }
                }
            });
            xs.add(x);
            features.add(src.rowIds());
        }
        return new JointNmfData(layers.stream().map(Mfa.Layer::name).toList(), features, samples, xs);
    }
}
