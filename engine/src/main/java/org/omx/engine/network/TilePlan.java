package org.omx.engine.network;

import java.util.Locale;

/**
 * Tile sizes for a network under a memory budget, and what the run will cost. A value: printable
 * (--plan) before anything is computed.
 *
 * <p>Memory model: the peak resident set of the process (what {@code /usr/bin/time -v} reports as
 * maximum RSS). Terms, float32 throughout:
 * <ul>
 *   <li>always resident: the JVM itself ({@link #JVM_NATIVE_BYTES}: code, metaspace, GC tables, thread
 *       stacks), the part of the Java heap the run touches ({@link #heapResidentBytes()}: the young
 *       generation and the live arrays; the budget checks reserve all of {@link #heapBytes()}, the -Xmx
 *       the run needs), the standardized data {@code g x n} (native) and
 *       the pages of the input store {@code g x n} (mapped), per-feature arrays;</li>
 *   <li>in memory ({@link #inMemory()}: the adjacency, whose storage then takes 1 - TOM, and the TOM,
 *       {@code 2 g x g}, fit the budget): those two matrices, both resident from the TOM pass on, and the
 *       TOM product panel {@code g x t};</li>
 *   <li>otherwise they are mapped files and each pass releases the pages it has finished with
 *       ({@link TopologicalOverlap#release}), so that the largest pass decides:
 *     <ul>
 *       <li>correlation / adjacency (panels of {@code t} columns, at most about an eighth of the
 *           features, computed as tiles {@code t x t} below the diagonal): the panel's rows
 *           {@code t x g} that receive the mirrored tiles and the pages of the tile being written, one
 *           partial run of {@code 4 t} bytes in each of its rows ({@code t (4 t + 4096)});</li>
 *       <li>TOM (tiles {@code t x t}): adjacency row blocks I and J, TOM rows of block I
 *           ({@code 4 t x g} with room to spare), the mirrored tiles of block J ({@code 2 t (4 t + 4096)})
 *           and the native product tile ({@code t x t}); then 1 - TOM into the adjacency's storage, strip
 *           by strip ({@code 2 t x g});</li>
 *       <li>clustering: the whole dissimilarity {@code g x g} (nearest-neighbour chain updates a column
 *           per merge, so every page is in use); then intramodular connectivity recomputes correlation
 *           strips {@code t x g} into that matrix's storage. Not reduced by tiling: when it exceeds the
 *           budget the plan says so.</li>
 *     </ul></li>
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
    /** The JVM outside the Java heap: code cache, metaspace, GC card tables, thread stacks, libraries (measured, JDK 25). */
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

    /** Java heap the run needs: samples Gram matrices, per-feature arrays, a floor (row buffers are within it). */
    static long heap(int g, int n, int b) {
        long need = HEAP_FLOOR_BYTES + liveArrays(g, n);
        return (need + (32L << 20) - 1) / (32L << 20) * (32L << 20);   // -Xmx granularity
    }

    /** The heap arrays the run keeps: the samples Gram matrix and per-feature arrays. */
    static long liveArrays(int g, int n) {
        return 8L * n * n + 16L * g + 8L * g * 2;
    }

    /** Resident in every pass: JVM, heap, standardized data, input store pages, per-feature arrays. */
    static long fixed(int g, int n, int b) {
        return JVM_NATIVE_BYTES + heap(g, n, b) + 4L * g * n + 4L * g * n + PER_FEATURE_BYTES * g;
    }

    /** Pages a mirrored block of {@code t} columns touches in each of {@code rows} rows of g columns (at most the rows). */
    static long mirrorPages(long rows, long t, long g) {
        return rows * Math.min(4L * t + 4096, 4L * g);
    }

    /** The file-backed passes that depend on the tile size: correlation / adjacency strips and TOM tiles. */
    static long tiledPass(int g, int b) {
        long t = tomRows(g, b);
        long strip = 4L * t * g + mirrorPages(t, t, g);
        long tom = 4 * 4L * t * g + 2 * mirrorPages(t, t, g) + 4L * t * t;
        return Math.max(strip, tom);
    }

    /**
     * The two features x features matrices, and the larger of the TOM pass's product panel ({@code g x t})
     * and the connectivity pass's copies of the data ({@link #connectivityCopies}), all resident.
     */
    static long resident(int g, int n, int b) {
        long t = tomRows(g, b);
        return 2 * 4L * g * g + Math.max(4L * g * t, connectivityCopies(g, n));
    }

    /**
     * The module connectivity pass at the end: the data copied in label order and its standardized rows
     * ({@code 2 g x n}); at 50,000 x 1,000 the run peaked 0.5 GB above a plan that left them out.
     */
    static long connectivityCopies(int g, int n) {
        return 2 * 4L * g * n;
    }

    /**
     * What --memory ("buffers and tiles") bounds: the tiled passes less the JVM's fixed costs (its native
     * part and the heap floor, the same for every tile size); the heap term counts only the Gram matrix.
     */
    static long budgeted(int g, int n, int b) {
        return 8L * g * n + PER_FEATURE_BYTES * g + 8L * n * n + 24L * g + tiledPass(g, b);
    }

    static long tiled(int g, int n, int b) {
        return fixed(g, n, b) + tiledPass(g, b);
    }

    /** The clustering pass: the whole dissimilarity resident, and then the connectivity pass's copies beside it. */
    static long clustering(int g, int n, int b) {
        return fixed(g, n, b) + 4L * g * g + connectivityCopies(g, n);
    }

    /** True when the clustering step (the whole dissimilarity resident, see {@link #clustering}) is within the budget. */
    public boolean clusteringFitsMemory() {
        return clustering(features, samples, blockRows) <= memoryBudget;
    }

    /** True when the adjacency (then 1 - TOM) and the TOM are held in memory: both within the budget. */
    public boolean inMemory() {
        return 8L * features * samples + PER_FEATURE_BYTES * features + 8L * samples * samples + 24L * features
                + resident(features, samples, blockRows) <= memoryBudget;
    }

    /**
     * Peak RSS: the passes' native and mapped memory as {@link #fixed} and the passes count them, with
     * the heap at what the run touches ({@link #heapResidentBytes}) instead of the limit that the
     * budget checks reserve.
     */
    public long estimatedPeakBytes() {
        long peak = inMemory() ? fixed(features, samples, blockRows) + resident(features, samples, blockRows)
                : Math.max(tiled(features, samples, blockRows), clustering(features, samples, blockRows));
        return peak - heapBytes() + heapResidentBytes();
    }

    /** The -Xmx the run needs (the budget checks reserve all of it). */
    public long heapBytes() {
        return heap(features, samples, blockRows);
    }

    /**
     * The heap's resident part: the young generation as this JVM sized it (see {@link org.omx.engine.JvmHeap}),
     * the live arrays and {@link #LIVE_FLOOR_BYTES}, at most {@link #heapBytes()}.
     */
    public long heapResidentBytes() {
        return heapResident(heapBytes(), org.omx.engine.JvmHeap.youngGenerationBytes(), liveArrays(features, samples));
    }

    static long heapResident(long heap, long young, long live) {
        return Math.min(heap, young + live + LIVE_FLOOR_BYTES);
    }

    /** Live heap besides the plan's arrays: ids, result tables, class data on the heap (old generation 13 MiB after a 5,000-gene run). */
    static final long LIVE_FLOOR_BYTES = 32L << 20;

    public int blocks() {
        return (features + blockRows - 1) / blockRows;
    }

    /** Tiles of the TOM pass: the upper triangle of blocks, each mirrored. */
    public long tomTiles() {
        long nb = (features + TopologicalOverlap.tomBlockRows(this) - 1) / TopologicalOverlap.tomBlockRows(this);
        return nb * (nb + 1) / 2;
    }

    /**
     * Floating-point operations performed: the symmetric correlation strips, the power table, the TOM tiles
     * on and above the diagonal, and the full correlation pass that recomputes the connectivities.
     */
    public long flops(int powers) {
        long g = features;
        long tb = TopologicalOverlap.tomBlockRows(this);
        long corr = tomTiles() * 2 * tb * tb * samples;        // strips on and above the diagonal, one pass
        long table = powers > 0 ? g * g * (2L * 20 + 1) : 0;    // incremental powers (up to 20) and sums
        long tom = tomTiles() * 2 * tb * tb * g + 5 * g * g;    // upper triangle of tiles of A A^T, then the quotient
        long connectivity = 2 * g * g * samples;                // all strips again, for the module connectivities
        return corr + table + tom + connectivity;
    }

    /** Bytes written and read in the features x features matrices (memory or files). */
    public long bytesMoved() {
        long g = features;
        long tomRow = 4L * TopologicalOverlap.tomBlockRows(this) * g;
        long adjacency = 2 * 4L * g * g;                        // strips and mirrors written, rows read back and rewritten
        long adjacencyRead = tomTiles() * 2 * tomRow;           // row blocks I and J per TOM tile
        long tomWrite = 3 * 4L * g * g;                         // TOM written, read back, 1 - TOM written
        long clustering = 4L * g * g;                           // dissimilarity read (and updated) by the clustering
        long connectivity = 2 * 4L * g * g;                     // correlation strips written and read back
        return adjacency + adjacencyRead + tomWrite + clustering + connectivity;
    }

    public long diskBytes() {
        return inMemory() ? 0 : 2 * 4L * features * features;  // adjacency (then 1 - TOM), TOM
    }

    public String describe(int powers) {
        String memory = inMemory()
                ? String.format(Locale.ROOT, "%s estimated peak RSS: adjacency (then 1 - TOM) and TOM in memory (%s)",
                        bytes(estimatedPeakBytes()), bytes(2 * 4L * features * features))
                : String.format(Locale.ROOT, "%s estimated peak RSS: tiled passes %s, clustering %s (dissimilarity %s resident)%s",
                        bytes(estimatedPeakBytes()), bytes(tiled(features, samples, blockRows)), bytes(clustering(features, samples, blockRows)),
                        bytes(4L * features * features),
                        clustering(features, samples, blockRows) > memoryBudget ? " -- clustering exceeds --memory: it will page" : "");
        String disk = inMemory() ? "none (the TOM's file only with --save-tom)"
                : bytes(diskBytes()) + " scratch (adjacency, then 1 - TOM for the clustering, and TOM; float32 features x features each)";
        return String.format(Locale.ROOT, """
                tile plan: %d features x %d samples, --memory %s
                  tiles        %d x %d rows (%d row blocks; symmetric strips and %d TOM tiles of %d rows)
                  memory       %s
                    of which     JVM %s, Java heap %s touched (young generation and live arrays; at most -Xmx%dm), data %s, largest tile working set %s
                  disk         %s
                  bytes moved  %s
                  FLOPs        %.3g (%s)
                """, features, samples, bytes(memoryBudget), blockRows, blockRows, blocks(), tomTiles(),
                TopologicalOverlap.tomBlockRows(this), memory,
                bytes(JVM_NATIVE_BYTES), bytes(heapResidentBytes()), heapBytes() >> 20, bytes(8L * features * samples),
                bytes(tiledPass(features, blockRows)), disk, bytes(bytesMoved()), (double) flops(powers),
                powers > 0 ? "correlation, power table over " + powers + " powers, TOM" : "correlation, TOM; no power table");
    }

    static String bytes(long b) {
        return org.omx.engine.ByteSize.format(b);
    }
}
