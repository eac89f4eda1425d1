package org.omx.engine.network;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Bipartite correlation between the features of two layers measured on the same samples (genes x
 * metabolites, taxa x metabolites): r for every pair, WGCNA's Student p-value
 * ({@code corPvalueStudent}: {@code t = sqrt(n - 2) r / sqrt(1 - r^2)}, n - 2 degrees of freedom), and
 * the Benjamini-Hochberg FDR over all m = features(A) x features(B) p-values, exactly as R's
 * {@code p.adjust(p, "BH")}; pairs with FDR at or below a cut are written as TSV.gz, most significant
 * first.
 *
 * <p>Streaming, exact BH in two passes over the correlation tiles (one GEMM of standardized rows per
 * tile; no m-sized array). With complete data every pair has the same n, so p is a decreasing function
 * of |r| and ranks by p are ranks by |r|.
 * <ol>
 *   <li>Pass 1 counts |r| in a histogram whose bins are the float bit patterns of |r| with the low 12
 *       bits dropped (relative width 2^-11). For a bin [lo, hi) with {@code C} pairs at |r| >= lo, any
 *       pair in it that BH could reject has {@code p(hi) <= alpha C / m}; the lowest bin b* where that
 *       holds bounds the BH cutoff p* (the largest p with {@code p <= alpha F(p) / m}, F the count of
 *       p-values at or below p), so every rejected pair has |r| >= lo(b*).</li>
 *   <li>Pass 2 recomputes the same tiles and keeps the pairs with |r| >= lo(b*) (their number is known
 *       from pass 1, and checked against the memory budget). Every p-value at or below a kept one is
 *       kept, so sorting them gives their exact global ranks F; the adjusted value
 *       {@code q(p) = min over p' >= p of m p' / F(p')} restricted to kept pairs equals the exact one
 *       wherever it is at most alpha, because every p' beyond p* has {@code m p' / F(p') > alpha}.</li>
 * </ol>
 * Ties take R's treatment (a tied group gets the value of its largest rank). Cost: two GEMM passes,
 * p-values only for kept pairs and the histogram's bin edges.
 */
public final class CrossCorrelation {

    /** Kept pairs cost this many bytes each in pass 2 (indices, r, p, q). */
    static final long BYTES_PER_KEPT = 4 + 4 + 4 + 8 + 8;
    static final int SHIFT = 12;

    public record Result(int samples, long pairs, long kept, long written, double pCutoff, List<String> droppedSamplesA,
                         List<String> droppedSamplesB) {
    }

    private CrossCorrelation() {
    }

    /** Rows of {@code m} restricted to the columns {@code cols}, as a new heap matrix. */
    static FloatMatrix columns(FloatMatrix m, int[] cols) {
        float[] out = new float[m.rows() * cols.length];
        float[] row = new float[m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            m.copyRow(i, row, 0);
            for (int j = 0; j < cols.length; j++) out[i * cols.length + j] = row[cols[j]];
        }
        return FloatMatrix.wrap(out, m.rows(), cols.length);
    }

    /** Two stores: samples matched by ID (A's order), then {@link #run(Backend, FloatMatrix, List, FloatMatrix, List, CorrelationMethod, double, double, long, Path, int, Consumer)}. */
    public static Result run(Backend backend, MatrixStore a, MatrixStore b, CorrelationMethod method, double maxPOutliers, double fdr,
                             long memoryBytes, Path outFile, int threads, Consumer<String> log) throws IOException {
        Map<String, Integer> inB = new HashMap<>();
        for (int j = 0; j < b.sampleIds().size(); j++) inB.put(b.sampleIds().get(j), j);
        List<Integer> ca = new ArrayList<>();
        List<Integer> cb = new ArrayList<>();
        List<String> onlyA = new ArrayList<>();
        for (int j = 0; j < a.sampleIds().size(); j++) {
            Integer k = inB.remove(a.sampleIds().get(j));
            if (k == null) onlyA.add(a.sampleIds().get(j));
            else {
                ca.add(j);
                cb.add(k);
            }
        }
        List<String> onlyB = new ArrayList<>(inB.keySet());
        if (ca.size() < Correlation.MIN_VALUES)
            throw new NetworkInputException(String.format(Locale.ROOT, "the two stores share %d sample IDs; a correlation needs at least %d",
                    ca.size(), Correlation.MIN_VALUES));
        if (!onlyA.isEmpty() || !onlyB.isEmpty())
            log.accept(String.format(Locale.ROOT, "%d shared samples; left out %d only in the first store (%s) and %d only in the second (%s)",
                    ca.size(), onlyA.size(), Correlation.list(onlyA), onlyB.size(), Correlation.list(onlyB)));
        FloatMatrix xa = new FloatMatrix(a.data(), 0, (int) a.rows(), a.cols(), a.cols());
        FloatMatrix xb = new FloatMatrix(b.data(), 0, (int) b.rows(), b.cols(), b.cols());
        Result r = run(backend, columns(xa, ca.stream().mapToInt(Integer::intValue).toArray()), a.featureIds(),
                columns(xb, cb.stream().mapToInt(Integer::intValue).toArray()), b.featureIds(), method, maxPOutliers, fdr, memoryBytes,
                outFile, threads, log);
        return new Result(r.samples(), r.pairs(), r.kept(), r.written(), r.pCutoff(), onlyA, onlyB);
    }

    /** Correlates every row of {@code a} with every row of {@code b} (same samples, same order). */
    public static Result run(Backend backend, FloatMatrix a, List<String> idsA, FloatMatrix b, List<String> idsB, CorrelationMethod method,
                             double maxPOutliers, double fdr, long memoryBytes, Path outFile, int threads, Consumer<String> log) throws IOException {
        if (!(fdr > 0 && fdr <= 1)) throw new NetworkInputException("--fdr must be in (0, 1], got " + fdr);
        int ga = a.rows();
        int gb = b.rows();
        int n = a.cols();
        long m = (long) ga * gb;
        try (Correlation za = Correlation.standardize(backend, a, idsA, method, maxPOutliers, threads);
             Correlation zb = Correlation.standardize(backend, b, idsB, method, maxPOutliers, threads);
             Arena arena = Arena.ofConfined()) {
            if (za.pairwise() || zb.pairwise())
                throw new NetworkInputException("cross-layer correlation needs complete data (the p-value ranking assumes one n for all pairs); "
                        + "impute or remove features with missing values");
            // tile: rows of A against all of B, at most a quarter of the budget (and at least one row)
            int rowsPerTile = (int) Math.max(1, Math.min(ga, memoryBytes / 4 / (4L * gb)));
            FloatMatrix tile = AnonymousMemory.allocate(arena, rowsPerTile, gb);
            long[] hist = new long[(Float.floatToRawIntBits(1f) >>> SHIFT) + 1];
            float[] row = new float[gb];
            for (int r0 = 0; r0 < ga; r0 += rowsPerTile) {
                int rows = Math.min(rowsPerTile, ga - r0);
                FloatMatrix t = tile.block(0, 0, rows, gb);
                gemm(backend, za, zb, r0, t);
                for (int i = 0; i < rows; i++) {
                    t.copyRow(i, row, 0);
                    for (float v : row) hist[bin(v)]++;
                }
            }
            // the lowest-|r| bin where a rejection is possible
            long above = 0;
            int cutBin = -1;
            for (int k = hist.length - 1; k >= 0; k--) {
                if (hist[k] == 0) continue;
                long incl = above + hist[k];
                double hi = k == hist.length - 1 ? 1.0 : Float.intBitsToFloat((k + 1) << SHIFT);
                double pHi = ModuleEigengenes.corPvalueStudent(Math.min(1, hi), n);
                if (pHi <= fdr * incl / (double) m) cutBin = k;
                above = incl;
            }
            long kept = 0;
            for (int k = Math.max(cutBin, 0); k < hist.length && cutBin >= 0; k++) kept += hist[k];
            if (kept * BYTES_PER_KEPT > Math.max(memoryBytes, 64L << 20))
                throw new NetworkInputException(String.format(Locale.ROOT,
                        "%d pairs could pass --fdr %s (%s to rank them exactly): lower --fdr or raise --memory", kept, fdr,
                        TilePlan.bytes(kept * BYTES_PER_KEPT)));
            int[] ia = new int[(int) kept];
            int[] ib = new int[(int) kept];
            float[] rv = new float[(int) kept];
            int q = 0;
            if (cutBin >= 0) {
                for (int r0 = 0; r0 < ga; r0 += rowsPerTile) {
                    int rows = Math.min(rowsPerTile, ga - r0);
                    FloatMatrix t = tile.block(0, 0, rows, gb);
                    gemm(backend, za, zb, r0, t);
                    for (int i = 0; i < rows; i++) {
                        t.copyRow(i, row, 0);
                        for (int j = 0; j < gb; j++)
                            if (bin(row[j]) >= cutBin) {
                                ia[q] = r0 + i;
                                ib[q] = j;
                                rv[q++] = row[j];
                            }
                    }
                }
            }
            if (q != kept) throw new IllegalStateException("pass 2 kept " + q + " pairs, pass 1 counted " + kept);
            double[] p = new double[q];
            int qq = q;
            Parallel.forEach(threads, Math.max(1, (q + 4095) / 4096), c -> {
                for (int k = c * 4096; k < Math.min(qq, (c + 1) * 4096); k++) p[k] = ModuleEigengenes.corPvalueStudent(Math.max(-1, Math.min(1, rv[k])), n);
            });
            Integer[] order = new Integer[q];
            for (int k = 0; k < q; k++) order[k] = k;
            java.util.Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
            double[] sorted = new double[q];
            for (int k = 0; k < q; k++) sorted[k] = p[order[k]];
            double[] adj = adjustSortedPrefix(sorted, m);
            long written = 0;
            double pCut = Double.NaN;
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(outFile), 1 << 16),
                    StandardCharsets.UTF_8), 1 << 16)) {
                w.write("feature_a\tfeature_b\tr\tp\tfdr\n");
                for (int k = 0; k < q && adj[k] <= fdr; k++) {
                    int e = order[k];
                    w.write(idsA.get(ia[e]) + "\t" + idsB.get(ib[e]) + "\t" + rv[e] + "\t" + fmt(p[e]) + "\t" + fmt(adj[k]) + "\n");
                    written++;
                    pCut = p[e];
                }
            }
            log.accept(String.format(Locale.ROOT, "%d x %d = %d pairs over %d samples; %d ranked exactly in pass 2; %d with BH FDR <= %s",
                    ga, gb, m, n, q, written, fmt(fdr)));
            return new Result(n, m, q, written, pCut, List.of(), List.of());
        }
    }

    private static void gemm(Backend backend, Correlation za, Correlation zb, int r0, FloatMatrix out) {
        backend.gemm(Op.N, za.standardized().rows(r0, out.rows()), Op.T, zb.standardized(), 1f, 0f, out, Accumulation.FLOAT32);
    }

    static int bin(float r) {
        float x = Math.min(1f, Math.abs(r));
        if (Float.isNaN(x)) throw new IllegalStateException("NaN correlation");
        return Float.floatToRawIntBits(x) >>> SHIFT;
    }

    /**
     * BH-adjusted values of the {@code k} smallest of {@code m} p-values, given sorted ascending, whose
     * ranks are therefore 1..k: {@code q_i = min(1, min_{j >= i} m p_j / j)} over the prefix, with tied
     * p-values all taking the largest rank of their group (as R's p.adjust). Exact wherever the result is
     * at or below any alpha for which the prefix holds every p-value passing BH at alpha.
     */
    static double[] adjustSortedPrefix(double[] sorted, long m) {
        int k = sorted.length;
        double[] q = new double[k];
        double min = Double.POSITIVE_INFINITY;
        for (int i = k - 1; i >= 0; i--) {
            int rank = i + 1;
            // ties: the group's largest rank (the running min carries it down to the rest of the group)
            min = Math.min(min, m * sorted[i] / rank);
            q[i] = Math.min(1, min);
        }
        return q;
    }

    static String fmt(double v) {
        return TenDigits.format(v);
    }
}
