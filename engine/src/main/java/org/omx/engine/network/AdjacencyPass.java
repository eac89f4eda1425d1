package org.omx.engine.network;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.FloatMatrix;

import java.util.function.LongConsumer;

/**
 * The pass that fills the features x features adjacency (memory or a mapped file) from the
 * standardized data, using its symmetry: for each column panel J of t features, the correlations on
 * and below the diagonal block, {@code Z_[j0, g) Z_J^T}, are tall GEMMs of {@code chunkRows} rows
 * (about half the full product's FLOPs over all panels; a tall product packs its small right operand
 * once per task), each mirrored into rows J, whose rows are then complete. Complete rows are then turned, in
 * place, into what the network needs in the same pass:
 * <ul>
 *   <li>the soft-threshold connectivities {@code sum_{j != i} base(r_ij)^p} for every power of the
 *       table (so the table costs no correlation pass of its own);</li>
 *   <li>the adjacency at the chosen power with diagonal 0, and its row sums k (sums of |a| for a
 *       signed TOM), when the power is known before the pass. When it is chosen from the table, the
 *       rows keep the correlations and {@link #toAdjacency} converts them afterwards (a read and a
 *       write of the matrix instead of a second GEMM).</li>
 * </ul>
 * Mirrored rows are released from the resident set after each strip, as every pass does with the
 * pages it has finished with.
 */
final class AdjacencyPass {

    private AdjacencyPass() {
    }

    /** What to compute from each complete row besides the correlation itself. */
    record Work(NetworkType type, TomType tomType, double beta, double[] tablePowers) {

        boolean adjacency() {
            return !Double.isNaN(beta);
        }

        boolean keepSign() {
            return tomType == TomType.SIGNED && type == NetworkType.UNSIGNED;
        }
    }

    /**
     * Runs the pass into {@code out} ({@code g x g}), panels of {@code stripRows} columns, products of
     * {@code chunkRows} rows. {@code tableK} receives the connectivities, one
     * row per power of {@code work.tablePowers()} (ascending; null for no table). Returns the
     * adjacency's connectivities, or null when {@code work.beta()} is NaN (out then holds correlations).
     */
    static double[] run(Backend backend, Correlation corr, Work work, double[][] tableK, int stripRows, int chunkRows, FloatMatrix out,
                        int threads, LongConsumer progress) {
        int g = corr.features();
        double[] k = work.adjacency() ? new double[g] : null;
        RowJob job = new RowJob(work, g, tableK);
        for (int j0 = 0; j0 < g; j0 += stripRows) {
            int nj = Math.min(stripRows, g - j0);
            for (int i0 = j0; i0 < g; i0 += chunkRows) {
                int ni = Math.min(chunkRows, g - i0);
                FloatMatrix lower = out.block(i0, j0, ni, nj);
                corr.block(backend, i0, j0, lower);
                int skip = Math.max(0, j0 + nj - i0);   // the diagonal block is written whole
                if (skip < ni) TomQuotient.transposeInto(lower.rows(skip, ni - skip), out, j0, i0 + skip, threads);
                if (i0 != j0) TopologicalOverlap.release(out, i0, ni);
            }
            int base = j0;
            Parallel.forEach(threads, nj, i -> job.row(out, base + i, base + i, k, base + i));
            TopologicalOverlap.release(out, j0, nj);
            progress.accept(j0 + nj);
        }
        return k;
    }

    /**
     * The adjacency's connectivities within each feature's module ({@code labels}; the unassigned label 0
     * counts as one, as in WGCNA's {@code intramodularConnectivity}), recomputed from the data: the run no
     * longer keeps the adjacency matrix to its end, whose storage holds the clustering's 1 - TOM instead
     * (one features x features matrix less: 100 MB at 5,000 features, 10 GB at 50,000). The features are
     * copied in label order and standardized again, so that each module is a diagonal block of the
     * correlation: only {@code sum of module sizes squared} correlations are computed, in strips of
     * {@code stripRows} rows written into {@code spare} (at least stripRows x g; overwritten). Row
     * standardization and the GEMM's dot products do not depend on the rows around them, so these
     * adjacencies are those of {@link #run}, summed in the same order. The totals are the pass's {@code k}.
     */
    static ModuleOutputs.Connectivity moduleConnectivity(Backend backend, FloatMatrix x, java.util.List<String> ids, CorrelationMethod method,
                                                         double maxPOutliers, Work work, double[] k, int[] labels, int stripRows,
                                                         FloatMatrix spare, int threads) {
        int g = x.rows();
        int n = x.cols();
        Integer[] boxed = new Integer[g];
        for (int i = 0; i < g; i++) boxed[i] = i;
        java.util.Arrays.sort(boxed, java.util.Comparator.comparingInt(i -> labels[i]));   // stable: ascending index within a label
        int[] order = new int[g];
        java.util.List<String> orderedIds = new java.util.ArrayList<>(g);
        for (int i = 0; i < g; i++) {
            order[i] = boxed[i];
            orderedIds.add(ids.get(order[i]));
        }
        double[] within = new double[g];
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            FloatMatrix ordered = AnonymousMemory.allocate(arena, g, n);
            float[] row = new float[n];
            for (int i = 0; i < g; i++) {
                x.copyRow(order[i], row, 0);
                ordered.setRow(i, row, 0);
            }
            try (Correlation corr = Correlation.standardize(backend, ordered, orderedIds, method, maxPOutliers, threads)) {
                RowJob job = new RowJob(work, g, null);
                for (int s0 = 0; s0 < g; ) {
                    int s1 = s0;
                    while (s1 < g && labels[order[s1]] == labels[order[s0]]) s1++;
                    int size = s1 - s0, first = s0;
                    for (int i0 = s0; i0 < s1; i0 += stripRows) {
                        int ni = Math.min(stripRows, s1 - i0), base = i0;
                        FloatMatrix tile = spare.block(0, 0, ni, size);
                        corr.block(backend, i0, s0, tile);
                        Parallel.forEach(threads, ni, i -> within[order[base + i]] = job.withinSum(tile, i, base + i - first, size));
                        TopologicalOverlap.release(spare, 0, ni);
                    }
                    s0 = s1;
                }
            }
        }
        return ModuleOutputs.Connectivity.of(k.clone(), within);
    }

    /** Correlations already in {@code m} (rows of the whole matrix) to adjacencies in place; returns k. */
    static double[] toAdjacency(FloatMatrix m, NetworkType type, TomType tomType, double beta, int stripRows, int threads) {
        int g = m.rows();
        double[] k = new double[g];
        RowJob job = new RowJob(new Work(type, tomType, beta, null), g, null);
        for (int i0 = 0; i0 < g; i0 += stripRows) {
            int ni = Math.min(stripRows, g - i0);
            int base = i0;
            Parallel.forEach(threads, ni, i -> job.row(m, base + i, base + i, k, base + i));
            TopologicalOverlap.release(m, i0, ni);
        }
        return k;
    }

    /** The per-row work on the complete rows of a tile whose first row is row {@code r0} of the matrix. */
    static double[] rows(FloatMatrix tile, int r0, Work work, double[][] tableK, int threads) {
        int g = tile.cols();
        double[] k = work.adjacency() ? new double[tile.rows()] : null;
        RowJob job = new RowJob(work, g, tableK);
        Parallel.forEach(threads, tile.rows(), i -> job.row(tile, i, r0 + i, k, i));
        return k;
    }

    /** The per-row work of the pass, with per-thread row buffers. */
    private static final class RowJob {
        private final Work work;
        private final int g;
        private final double[][] tableK;
        private final int[] intPowers;
        private final ThreadLocal<float[][]> buffers;

        RowJob(Work work, int g, double[][] tableK) {
            this.work = work;
            this.g = g;
            this.tableK = tableK;
            double[] ps = work.tablePowers();
            this.intPowers = ps != null && RowPowers.integral(ps) ? java.util.Arrays.stream(ps).mapToInt(p -> (int) p).toArray() : null;
            this.buffers = ThreadLocal.withInitial(() -> new float[3][g]);
        }

        /** Row {@code i} of {@code m}, which is row {@code gi} of the whole matrix; its connectivity goes to {@code k[ki]}. */
        void row(FloatMatrix m, int i, int gi, double[] k, int ki) {
            float[][] buf = buffers.get();
            float[] r = buf[0];
            m.copyRow(i, r, 0);
            if (tableK != null) connectivities(r, gi, buf[1], buf[2]);
            if (k == null) return;
            adjacency(r, g, gi);
            k[ki] = RowPowers.absSum(r, g);
            m.setRow(i, r, 0);
        }

        /** The first {@code len} correlations of {@code r} to adjacencies at the work's power, in place, 0 at {@code diagonal}. */
        private void adjacency(float[] r, int len, int diagonal) {
            double beta = work.beta();
            if (beta == Math.rint(beta) && beta >= 1 && beta <= RowPowers.MAX_INTEGER_POWER) {
                RowPowers.adjacency(r, len, work.type(), work.keepSign(), (int) beta);
            } else {
                for (int j = 0; j < len; j++) {
                    double a = work.type().adjacency(r[j], beta);
                    r[j] = (float) (work.keepSign() && r[j] < 0 ? -a : a);
                }
            }
            r[diagonal] = 0f;
        }

        /**
         * Row {@code i} of a module's correlation block {@code m} ({@code len} columns, the row's own at
         * {@code diagonal}) as adjacencies: the sum of |a| over the module's other features.
         */
        double withinSum(FloatMatrix m, int i, int diagonal, int len) {
            float[] r = buffers.get()[0];
            m.copyRow(i, r, 0);
            adjacency(r, len, diagonal);
            double w = 0;
            for (int j = 0; j < len; j++)
                if (j != diagonal) w += Math.abs(r[j]);   // a signed TOM's adjacency carries sign(r): connectivity uses |r|^beta
            return w;
        }

        private void connectivities(float[] r, int gi, float[] x, float[] pw) {
            double[] ps = work.tablePowers();
            RowPowers.base(r, x, g, work.type());
            x[gi] = 0f;
            if (intPowers != null) {
                double[] sums = new double[ps.length];
                RowPowers.powerSums(x, g, intPowers, pw, sums);
                for (int p = 0; p < ps.length; p++) tableK[p][gi] = sums[p];
                return;
            }
            for (int p = 0; p < ps.length; p++) {
                double s = 0;
                for (int j = 0; j < g; j++) if (j != gi) s += Math.pow(x[j], ps[p]);
                tableK[p][gi] = s;
            }
        }
    }
}
