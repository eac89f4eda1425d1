package org.omx.engine.demo;

import org.omx.io.store.MatrixStore;
import org.omx.kernels.api.Accumulation;
import org.omx.kernels.api.Backend;
import org.omx.kernels.api.ElementwiseOp;
import org.omx.kernels.api.FloatMatrix;
import org.omx.kernels.api.Op;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * A first look at co-expression for the demo, small enough to hold in memory: Pearson correlation
 * of all genes of a store, log2(count + 1) then row-standardized, as one GEMM on the backend
 * ({@code R = Z Z^T / (n - 1)}), summarised as the mean correlation within and between planted
 * modules. The full tiled, out-of-core network is a later capability (omx network).
 */
public final class ModuleCorrelation {

    /** Mean within-module correlation per module, and the mean between genes of different modules. */
    public record Summary(Map<Integer, Double> withinByModule, Map<Integer, Integer> sizes, double between) {
    }

    private ModuleCorrelation() {
    }

    /**
     * @param module module number of each row of the store (0 = unassigned, left out of the summary)
     */
    public static Summary compute(Backend backend, MatrixStore store, int[] module) {
        int g = (int) store.rows();
        int n = store.cols();
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix z = FloatMatrix.allocate(arena, g, n);
            MemorySegment.copy(store.data(), 0, z.segment(), 0, 4L * g * n);
            backend.map(z, ElementwiseOp.LOG2, 1, 0, z);
            double[] mean = new double[g];
            double[] var = new double[g];
            int[] count = new int[g];
            backend.rowMeanVariance(z, mean, var, count);
            double[] scale = new double[g];
            double[] shift = new double[g];
            for (int i = 0; i < g; i++) {
                double sd = Math.sqrt(var[i]);
                // constant genes correlate with nothing: a zero row gives correlation 0, not NaN
                scale[i] = sd > 0 ? 1 / (sd * Math.sqrt(n - 1.0)) : 0;
                shift[i] = -mean[i] * scale[i];
            }
            backend.scaleRows(z, scale, shift, z);
            backend.map(z, ElementwiseOp.FILL_MISSING, 0, 0, z);
            FloatMatrix r = FloatMatrix.allocate(arena, g, g);
            backend.gemm(Op.N, z, Op.T, z, 1f, 0f, r, Accumulation.FLOAT32);
            Map<Integer, double[]> within = new TreeMap<>();
            double betweenSum = 0;
            long betweenCount = 0;
            for (int i = 0; i < g; i++) {
                if (module[i] == 0) continue;
                for (int j = i + 1; j < g; j++) {
                    if (module[j] == 0) continue;
                    double c = r.get(i, j);
                    if (module[i] == module[j]) {
                        double[] acc = within.computeIfAbsent(module[i], k -> new double[2]);
                        acc[0] += c;
                        acc[1]++;
                    } else {
                        betweenSum += c;
                        betweenCount++;
                    }
                }
            }
            Map<Integer, Double> means = new TreeMap<>();
            Map<Integer, Integer> sizes = new TreeMap<>();
            within.forEach((m, acc) -> means.put(m, acc[0] / acc[1]));
            for (int m : module) if (m != 0) sizes.merge(m, 1, Integer::sum);
            return new Summary(means, sizes, betweenCount == 0 ? Double.NaN : betweenSum / betweenCount);
        }
    }
}
