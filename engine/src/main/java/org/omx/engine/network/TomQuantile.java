package org.omx.engine.network;

import org.omx.kernels.api.FloatMatrix;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An exact quantile of the off-diagonal values of a symmetric, non-negative features x features matrix
 * (a TOM), read from its upper triangle without holding it: R's {@code quantile(as.dist(tom), p, type = 8)},
 * the quantile WGCNA's "single quantile" network calibration uses (with {@code sampleForCalibration = FALSE}).
 *
 * <p>Type 8 (median-unbiased): with N values sorted, {@code h = (N + 1/3) p + 1/3}, the result is
 * {@code x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])}, ranks clamped to 1..N. The two order
 * statistics are found by radix selection on the float32 bit patterns (monotone for non-negative
 * floats): one pass counts values by their upper 16 bits, a second pass counts the lower 16 bits inside
 * the bins holding the wanted ranks. Two streaming passes, 2 x 65,536 counters.
 */
final class TomQuantile {

    private static final int BINS = 1 << 16;

    private TomQuantile() {
    }

    /** Type-8 quantile {@code p} of {@code m}'s values above the diagonal. */
    static double upperTriangle(FloatMatrix m, double p, int threads) {
        int g = m.rows();
        long n = (long) g * (g - 1) / 2;
        if (n == 0) throw new NetworkInputException("a quantile of the network needs at least 2 features");
        double h = (n + 1.0 / 3) * p + 1.0 / 3;
        long lo = Math.clamp((long) Math.floor(h), 1, n);
        long hi = Math.clamp((long) Math.floor(h) + 1, 1, n);
        double frac = Math.clamp(h - Math.floor(h), 0, 1);
        if (h < 1) frac = 0;
        float[] v = select(m, new long[]{lo, hi}, threads);
        return v[0] + frac * ((double) v[1] - v[0]);
    }

    /** The order statistics of the given 1-based ranks (ascending). */
    static float[] select(FloatMatrix m, long[] ranks, int threads) {
        long[] upper = histogram(m, -1, threads);
        int[] bin = new int[ranks.length];
        long[] within = new long[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            long seen = 0;
            int b = 0;
            while (seen + upper[b] < ranks[r]) seen += upper[b++];
            bin[r] = b;
            within[r] = ranks[r] - seen;
        }
        float[] out = new float[ranks.length];
        long[] lower = null;
        for (int r = 0; r < ranks.length; r++) {
            if (r == 0 || bin[r] != bin[r - 1]) lower = histogram(m, bin[r], threads);   // one pass per distinct bin
            long seen = 0;
            int b = 0;
            while (seen + lower[b] < within[r]) seen += lower[b++];
            out[r] = Float.intBitsToFloat((bin[r] << 16) | b);
        }
        return out;
    }

    /** Counts by upper 16 bits ({@code upperBin < 0}), or by lower 16 bits among values in {@code upperBin}. */
    private static long[] histogram(FloatMatrix m, int upperBin, int threads) {
        int g = m.rows();
        AtomicLongArray total = new AtomicLongArray(BINS);
        int chunk = 256;
        int chunks = (g + chunk - 1) / chunk;
        Parallel.forEach(threads, chunks, c -> {
            long[] counts = new long[BINS];
            float[] row = new float[g];
            int r0 = c * chunk;
            int r1 = Math.min(g, r0 + chunk);
            for (int i = r0; i < r1; i++) {
                m.copyRow(i, row, 0);
                for (int j = i + 1; j < g; j++) {
                    float x = row[j];
                    if (!(x >= 0)) throw new NetworkInputException("the TOM holds a negative or NaN value at feature pair (" + i + ", " + j + ")");
                    int bits = Float.floatToIntBits(x + 0f);
                    if (upperBin < 0) counts[bits >>> 16]++;
                    else if (bits >>> 16 == upperBin) counts[bits & 0xFFFF]++;
                }
            }
            TopologicalOverlap.release(m, r0, r1 - r0);
            for (int b = 0; b < BINS; b++) if (counts[b] != 0) total.addAndGet(b, counts[b]);
        });
        long[] out = new long[BINS];
        for (int b = 0; b < BINS; b++) out[b] = total.get(b);
        return out;
    }
}
