package org.omx.kernels.cuda;

/**
 * How the float64-accumulating GEMM is cut to fit the device's free memory, with transfers overlapping compute.
 *
 * <p>B (k x n) stays on the device for a whole column block; C is computed in row blocks of
 * {@code mb} rows, two at a time (one per stream): while block t multiplies, block t+1's slice of A
 * travels in and block t-1's slice of C travels out. Device memory needed:
 * {@code kPad nb + 2 (mb kPad + mb nb)} floats. The planner keeps this under a fraction of the free
 * memory and makes at least {@link #MIN_BLOCKS} row blocks where m allows, so that there is
 * something to overlap.
 *
 * @param mb      rows of C per block (a multiple of the 128 tile)
 * @param nb      columns of C per block (a multiple of 128)
 * @param kPad    the inner dimension padded to the 8-deep k-step
 * @param buffers staging buffers per kind (2: double buffering)
 */
record GemmTilePlan(int mb, int nb, int kPad, int buffers) {

    /** Share of the free device memory the planner uses (the rest: context, fragmentation, other users). */
    static final double MEMORY_FRACTION = 0.8;
    static final int MIN_BLOCKS = 4;
    /** Largest row block: keeps int indexing in kernels (mb * max(kPad, nb) < 2^31) and latency low. */
    static final int MAX_BLOCK_ROWS = 8192;
    /** Largest single buffer of the float64 path, kept at 1 GiB as first written (the float32 path, GemmSchedule, has no cap). */
    static final long MAX_BUFFER_FLOATS = 1L << 28;

    long deviceBytes() {
        return 4L * ((long) kPad * nb + (long) buffers * ((long) mb * kPad + (long) mb * nb));
    }

    static GemmTilePlan plan(int m, int n, int k, long freeBytes) {
        int tile = LaunchGeometry.GEMM_TILE;
        int kPad = LaunchGeometry.roundUp(Math.max(k, 1), LaunchGeometry.GEMM_TILE_K);
        int mPad = LaunchGeometry.roundUp(Math.max(m, 1), tile);
        int nPad = LaunchGeometry.roundUp(Math.max(n, 1), tile);
        long budget = (long) (freeBytes * MEMORY_FRACTION) / 4; // floats
        // B gets at most half the budget; wider than that, C is computed in column blocks.
        long nbMax = Math.min((long) nPad, budget / 2 / kPad / tile * tile);
        nbMax = Math.min(nbMax, MAX_BUFFER_FLOATS / kPad / tile * tile);
        if (nbMax < tile) throw new IllegalStateException("GEMM with k = " + k + " does not fit in "
                + freeBytes / (1 << 20) + " MiB of free device memory");
        int nb = (int) nbMax;
        long rest = budget - (long) kPad * nb;
        long mbMax = Math.min(rest / (2L * (kPad + nb)), MAX_BUFFER_FLOATS / Math.max(kPad, nb)) / tile * tile;
        if (mbMax < tile) throw new IllegalStateException("GEMM blocks do not fit in "
                + freeBytes / (1 << 20) + " MiB of free device memory");
        int overlap = Math.max(tile, LaunchGeometry.roundUp(LaunchGeometry.ceilDiv(mPad, MIN_BLOCKS), tile));
        int mb = (int) Math.min(Math.min(mbMax, MAX_BLOCK_ROWS), Math.min(mPad, overlap));
        return new GemmTilePlan(mb, nb, kPad, 2);
    }
}
