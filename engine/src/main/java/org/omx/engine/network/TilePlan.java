package org.omx.engine.network;

import java.util.Locale;

/**
 * Tile sizes for a network under a memory budget, and what the run will cost. A value: printable
 * (--plan) before anything is computed.
 *
 * <p>Memory model (bytes resident while the TOM pass runs, the largest pass):
 * <ul>
 *   <li>standardized data, features x samples float32, held for the whole run;</li>
 *   <li>two row blocks of the adjacency, {@code b x features} float32 each (mapped from disk: the pages
 *       of the block in use);</li>
 *   <li>one {@code b x b} float32 product tile and two heap copies of it (quotient, transpose), and
 *       per-feature arrays (connectivities, ids). The TOM pass itself uses tiles of at most about a
 *       quarter of the features (TopologicalOverlap.tomBlockRows), so only the upper triangle is multiplied.</li>
 * </ul>
 * The clustering pass works on a features x features float32 dissimilarity mapped from disk; its
 * working set is the page cache, so it is listed as disk, not as budgeted memory.
 *
 * @param features     number of features (network nodes)
 * @param samples      number of samples
 * @param memoryBudget bytes allowed by --memory
 * @param blockRows    rows per tile (b)
 */
public record TilePlan(int features, int samples, long memoryBudget, int blockRows) {

    /** Tiles are multiples of this (GEMM micro-kernels and cache lines). */
    static final int ALIGN = 64;
    /** Per-feature bookkeeping: connectivities, ids, labels (a generous constant). */
    static final long PER_FEATURE_BYTES = 256;

    /** The largest tile that fits the budget; an error naming --memory when even the smallest does not. */
    public static TilePlan plan(int features, int samples, long memoryBudget) {
        int b = features;
        if (estimate(features, samples, b) > memoryBudget) {
            // largest multiple of ALIGN that fits: memory is increasing in b
            int lo = 0;
            int hi = (features + ALIGN - 1) / ALIGN;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (estimate(features, samples, mid * ALIGN) <= memoryBudget) lo = mid;
                else hi = mid - 1;
            }
            b = lo * ALIGN;
            if (b == 0)
                throw new NetworkInputException(String.format(Locale.ROOT,
                        "--memory %s is too small for %d features x %d samples: at least %s is needed",
                        bytes(memoryBudget), features, samples, bytes(estimate(features, samples, Math.min(ALIGN, features)))));
        }
        return new TilePlan(features, samples, memoryBudget, b);
    }

    static long estimate(int g, int n, int b) {
        // the TOM pass's product tile, plus its quotient and transposed copies on the heap
        return 4L * g * n + 2 * 4L * b * g + 3 * 4L * b * b + PER_FEATURE_BYTES * g;
    }

    public long estimatedPeakBytes() {
        return estimate(features, samples, blockRows);
    }

    public int blocks() {
        return (features + blockRows - 1) / blockRows;
    }

    /** Tiles of the TOM pass: the upper triangle of blocks, each mirrored. */
    public long tomTiles() {
        long nb = (features + TopologicalOverlap.tomBlockRows(this) - 1) / TopologicalOverlap.tomBlockRows(this);
        return nb * (nb + 1) / 2;
    }

    public long flops(int powers) {
        long g = features;
        long corr = 2L * g * g * samples;                   // one correlation pass for the adjacency
        long table = powers > 0 ? corr + g * g * powers : 0; // one more for the power table
        long tb = TopologicalOverlap.tomBlockRows(this);
        long tom = tomTiles() * 2 * tb * tb * g + 3 * g * g;  // upper triangle of tiles of A A^T, then the quotient
        return corr + table + tom;
    }

    /** Bytes read and written to disk: adjacency written once and read by block pairs; TOM written once. */
    public long bytesMoved() {
        long g = features;
        long row = 4L * blockRows * g;
        long tomRow = 4L * TopologicalOverlap.tomBlockRows(this) * g;
        long adjacencyWrite = 4L * g * g;
        long adjacencyRead = blocks() * row + tomTiles() * tomRow;
        long tomWrite = 4L * g * g;
        long clustering = 2 * 4L * g * g;                     // dissimilarity copy written and read
        return adjacencyWrite + adjacencyRead + tomWrite + clustering;
    }

    public long diskBytes() {
        return 3 * 4L * features * features;                   // adjacency, TOM, clustering scratch
    }

    public String describe(int powers) {
        return String.format(Locale.ROOT, """
                tile plan: %d features x %d samples, --memory %s
                  tiles        %d x %d rows (%d row blocks, %d TOM tiles)
                  memory       %s estimated peak (standardized data %s, 2 adjacency row blocks %s, product tile %s)
                  disk         %s scratch (adjacency, TOM, clustering dissimilarity; float32 features x features each)
                  bytes moved  %s
                  FLOPs        %.3g (correlation, power table over %d powers, TOM)
                """, features, samples, bytes(memoryBudget), blockRows, blockRows, blocks(), tomTiles(),
                bytes(estimatedPeakBytes()), bytes(4L * features * samples), bytes(8L * blockRows * features),
                bytes(4L * blockRows * blockRows), bytes(diskBytes()), bytes(bytesMoved()), (double) flops(powers), powers);
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double x = b;
        int i = -1;
        while (x >= 1024 && i < u.length - 1) {
            x /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, u[i]);
    }
}
