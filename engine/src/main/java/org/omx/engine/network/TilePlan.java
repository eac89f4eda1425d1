package org.omx.engine.network;

import java.util.Locale;

/**
 * Tile sizes for a network under a memory budget, and what the run will cost. A value: printable
 * (--plan) before anything is computed.
 *
 * <p>Memory model: the peak resident set of the process (what {@code /usr/bin/time -v} reports as
 * maximum RSS), the largest of its passes. Each pass releases the pages of the mapped scratch matrices
 * it has finished with ({@link TopologicalOverlap#release}), so mapped memory counts as the tiles in
 * use, not as every page touched. Terms, float32 throughout:
 * <ul>
 *   <li>always resident: the JVM itself ({@link #JVM_NATIVE_BYTES}: code, metaspace, GC tables, thread
 *       stacks), the Java heap at the plan's {@link #heapBytes()} (run the JVM with that -Xmx: a heap
 *       allowed to grow further is not under the plan), the standardized data {@code g x n} (native) and
 *       the pages of the input store {@code g x n} (mapped), per-feature arrays;</li>
 *   <li>power table: one native correlation tile {@code b x g};</li>
 *   <li>adjacency: one mapped adjacency row block {@code b x g} being written;</li>
 *   <li>TOM (tiles of {@code t} rows, at most about a quarter of the features): adjacency row blocks I
 *       and J and the TOM rows of block I (mapped, {@code 3 t x g}), the mirrored TOM tile of block J
 *       ({@code t x t} mapped) and the native product tile ({@code t x t}); its two heap copies are in
 *       the heap term;</li>
 *   <li>clustering: the whole dissimilarity {@code g x g} (nearest-neighbour chain updates a column
 *       per merge, so every page is in use); then intramodular connectivity reads the adjacency
 *       {@code g x g} again, after the dissimilarity is unmapped. Not reduced by tiling: when it
 *       exceeds the budget the plan says so.</li>
 * </ul>
 *
 * @param features     number of features (network nodes)
 * @param samples      number of samples
 * @param memoryBudget bytes allowed by --memory
 * @param blockRows    rows per tile (b)
 */
public record TilePlan(int features, int samples, long memoryBudget, int blockRows) {

    /** Tiles are multiples of this (GEMM micro-kernels and cache lines). */
    static final int ALIGN = 64;
    /** Per-feature bookkeeping: connectivities, ids, labels, tree (a generous constant). */
    static final long PER_FEATURE_BYTES = 256;
    /** The JVM outside the Java heap: code cache, metaspace, GC card tables, thread stacks, libraries (measured, JDK 25, ParallelGC). */
    static final long JVM_NATIVE_BYTES = 96L << 20;
    /** Heap floor: ids, strings, result tables, picocli, GC headroom. */
    static final long HEAP_FLOOR_BYTES = 128L << 20;

    /** The largest tile that fits the budget; an error naming --memory when even the smallest does not. */
    public static TilePlan plan(int features, int samples, long memoryBudget) {
        int b = features;
        if (budgeted(features, samples, b) > memoryBudget) {
            // largest multiple of ALIGN that fits: memory is increasing in b
            int lo = 0;
            int hi = (features + ALIGN - 1) / ALIGN;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (budgeted(features, samples, mid * ALIGN) <= memoryBudget) lo = mid;
                else hi = mid - 1;
            }
            b = lo * ALIGN;
            if (b == 0)
                throw new NetworkInputException(String.format(Locale.ROOT,
                        "--memory %s is too small for %d features x %d samples: at least %s is needed",
                        bytes(memoryBudget), features, samples, bytes(budgeted(features, samples, Math.min(ALIGN, features)))));
        }
        return new TilePlan(features, samples, memoryBudget, b);
    }

    /**
     * Strip and TOM tile rows for g features and plan rows b: b, at most about an eighth of g (a
     * multiple of 64, at least 256). The symmetric passes multiply only the tiles on and above the
     * diagonal: with 8 row blocks, 36 of 64 tile products (56% of the full product's FLOPs).
     */
    static int tomRows(int g, int b) {
        int eighth = ((g + 7) / 8 + ALIGN - 1) / ALIGN * ALIGN;
        return Math.max(1, Math.min(b, Math.max(256, eighth)));
    }

    /** Java heap the run needs: the TOM quotient and its transpose ({@code 2 t x t}), samples Gram matrices, a floor. */
    static long heap(int g, int n, int b) {
        long t = tomRows(g, b);
        long need = HEAP_FLOOR_BYTES + 2 * 4L * t * t + 8L * n * n + 16L * g + 8L * g * 2;
        return (need + (32L << 20) - 1) / (32L << 20) * (32L << 20);   // -Xmx granularity
    }

    /** Resident in every pass: JVM, heap, standardized data, input store pages, per-feature arrays. */
    static long fixed(int g, int n, int b) {
        return JVM_NATIVE_BYTES + heap(g, n, b) + 4L * g * n + 4L * g * n + PER_FEATURE_BYTES * g;
    }

    /** The passes that depend on the tile size: power table / adjacency ({@code b x g}) and TOM. */
    static long tiledPass(int g, int b) {
        long t = tomRows(g, b);
        long table = 4L * b * g;
        long tom = 3 * 4L * t * g + 2 * 4L * t * t;
        return Math.max(table, tom);
    }

    /**
     * What --memory ("buffers and tiles") bounds: the tiled passes less the JVM's fixed costs (its native
     * part and the heap floor, the same for every tile size); the heap term counts only the TOM's copies
     * and the Gram matrix, unrounded.
     */
    static long budgeted(int g, int n, int b) {
        long t = tomRows(g, b);
        return 8L * g * n + PER_FEATURE_BYTES * g + 2 * 4L * t * t + 8L * n * n + 24L * g + tiledPass(g, b);
    }

    static long tiled(int g, int n, int b) {
        return fixed(g, n, b) + tiledPass(g, b);
    }

    /** The clustering pass: the whole dissimilarity resident. */
    static long clustering(int g, int n, int b) {
        return fixed(g, n, b) + 4L * g * g;
    }

    public long estimatedPeakBytes() {
        return Math.max(tiled(features, samples, blockRows), clustering(features, samples, blockRows));
    }

    /** The -Xmx the estimate assumes. */
    public long heapBytes() {
        return heap(features, samples, blockRows);
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
                  memory       %s estimated peak RSS: tiled passes %s, clustering %s (dissimilarity %s resident)%s
                    of which     JVM %s, Java heap %s (run with -Xmx%dm), data %s, largest tile working set %s
                  disk         %s scratch (adjacency, TOM, clustering dissimilarity; float32 features x features each)
                  bytes moved  %s
                  FLOPs        %.3g (correlation, power table over %d powers, TOM)
                """, features, samples, bytes(memoryBudget), blockRows, blockRows, blocks(), tomTiles(),
                bytes(estimatedPeakBytes()), bytes(tiled(features, samples, blockRows)), bytes(clustering(features, samples, blockRows)),
                bytes(4L * features * features),
                clustering(features, samples, blockRows) > memoryBudget ? " -- clustering exceeds --memory: it will page" : "",
                bytes(JVM_NATIVE_BYTES), bytes(heapBytes()), heapBytes() >> 20, bytes(8L * features * samples),
                bytes(tiledPass(features, blockRows)), bytes(diskBytes()), bytes(bytesMoved()), (double) flops(powers), powers);
    }

    static String bytes(long b) {
        return org.omx.engine.ByteSize.format(b);
    }
}
