package org.omx.engine.network;

import org.omx.io.PendingFile;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.PriorityQueue;
import java.util.zip.GZIPOutputStream;

/**
 * Thresholded network edges as a gzipped TSV ({@code feature_a, feature_b, cor, tom}, or one
 * {@code cor_setN} column per set for a consensus network; each pair once,
 * a before b in feature order), streamed by row blocks: the TOM rows come from the (mapped) TOM
 * matrix, the correlations from one GEMM of standardized rows per block, so nothing features x
 * features is held in memory.
 *
 * <p>Rule: every cut that is set must hold ({@code |cor| >= minAbsCor}, {@code tom >= minTom}); with
 * {@code topK > 0} an edge must also be among the topK strongest TOM neighbours of at least one of its
 * two features (ties at the k-th value are all kept). The k-th values are found in a first pass over
 * the TOM rows.
 */
public final class EdgeList {

    /** NaN disables a cut, topK 0 disables the top-k rule; at least one must be active. */
    public record Rule(double minAbsCor, double minTom, int topK) {
        public Rule {
            if (Double.isNaN(minAbsCor) && Double.isNaN(minTom) && topK <= 0)
                throw new NetworkInputException("an edge list needs --edges-min-cor, --edges-min-tom or --edges-top-k");
            if (topK < 0) throw new NetworkInputException("--edges-top-k must be positive, got " + topK);
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            if (!Double.isNaN(minAbsCor)) sb.append("|cor| >= ").append(minAbsCor);
            if (!Double.isNaN(minTom)) sb.append(sb.isEmpty() ? "" : " and ").append("TOM >= ").append(minTom);
            if (topK > 0) sb.append(sb.isEmpty() ? "" : " and ").append("in the top ").append(topK).append(" TOM neighbours of either feature");
            return sb.toString();
        }
    }

    private EdgeList() {
    }

    /** The k-th largest off-diagonal value of every row of {@code tom} (-inf when a row has fewer). */
    static double[] kthLargest(FloatMatrix tom, int k, int threads) {
        int g = tom.rows();
        double[] kth = new double[g];
        Parallel.forEach(threads, g, i -> {
            float[] row = new float[g];
            tom.copyRow(i, row, 0);
            PriorityQueue<Float> heap = new PriorityQueue<>(k + 1);
            for (int j = 0; j < g; j++) {
                if (j == i) continue;
                if (heap.size() < k) heap.add(row[j]);
                else if (row[j] > heap.peek()) {
                    heap.poll();
                    heap.add(row[j]);
                }
            }
            kth[i] = heap.size() < k ? Double.NEGATIVE_INFINITY : heap.peek();
        });
        return kth;
    }

    /** Writes the edges to {@code file} (gzip); returns how many. */
    public static long write(Backend backend, Correlation corr, FloatMatrix tom, List<String> ids, Rule rule, int blockRows,
                             Path file, int threads) throws IOException {
        return write(backend, List.of(corr), tom, ids, rule, blockRows, file, threads);
    }

    /**
     * The same for a consensus network: one TOM (the consensus) and one correlation per set, written
     * as columns {@code cor_set1 .. cor_setK} (just {@code cor} for one set). The |cor| cut is a
     * consensus cut too: it must hold in every set, i.e. on the smallest |cor| across the sets.
     * Written under a temporary name and renamed when complete.
     */
    public static long write(Backend backend, List<Correlation> corrs, FloatMatrix tom, List<String> ids, Rule rule, int blockRows,
                             Path file, int threads) throws IOException {
        int g = tom.rows();
        int sets = corrs.size();
        double[] kth = rule.topK() > 0 ? kthLargest(tom, rule.topK(), threads) : null;
        long edges = 0;
        try (PendingFile pending = PendingFile.create(file, true);
             Arena arena = Arena.ofConfined()) {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(pending.newOutputStream(), 1 << 16),
                    StandardCharsets.UTF_8), 1 << 16)) {
                w.write("feature_a\tfeature_b\t");
                for (int s = 0; s < sets; s++) w.write(sets == 1 ? "cor\t" : "cor_set" + (s + 1) + "\t");
                w.write("tom\n");
                int b = Math.max(1, Math.min(blockRows, g));
                FloatMatrix[] tiles = new FloatMatrix[sets];
                for (int s = 0; s < sets; s++) tiles[s] = AnonymousMemory.allocate(arena, b, g);
                float[] trow = new float[g];
                float[][] crow = new float[sets][g];
                for (int r0 = 0; r0 < g; r0 += b) {
                    int rows = Math.min(b, g - r0);
                    for (int s = 0; s < sets; s++) corrs.get(s).block(backend, r0, 0, tiles[s].block(0, 0, rows, g));
                    for (int ii = 0; ii < rows; ii++) {
                        int i = r0 + ii;
                        tom.copyRow(i, trow, 0);
                        for (int s = 0; s < sets; s++) tiles[s].copyRow(ii, crow[s], 0);
                        for (int j = i + 1; j < g; j++) {
                            float t = trow[j];
                            if (!Double.isNaN(rule.minTom()) && !(t >= rule.minTom())) continue;
                            if (kth != null && !(t >= kth[i] || t >= kth[j])) continue;
                            if (!Double.isNaN(rule.minAbsCor()) && !(minAbs(crow, j) >= rule.minAbsCor())) continue;
                            w.write(ids.get(i));
                            w.write('\t');
                            w.write(ids.get(j));
                            for (float[] c : crow) {
                                w.write('\t');
                                w.write(Float.toString(c[j]));
                            }
                            w.write('\t');
                            w.write(Float.toString(t));
                            w.write('\n');
                            edges++;
                        }
                    }
                }
            }
            pending.commit();
        }
        return edges;
    }

    /** The smallest |cor| of pair column {@code j} across the sets (NaN when any is NaN, so the cut fails). */
    private static double minAbs(float[][] rows, int j) {
        double m = Double.POSITIVE_INFINITY;
        for (float[] r : rows) {
            double a = Math.abs(r[j]);
            if (Double.isNaN(a)) return Double.NaN;
            m = Math.min(m, a);
        }
        return m;
    }
}
