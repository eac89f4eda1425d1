package org.omx.kernels.cuda;

/**
 * Grid and block sizes of each kernel in omx_kernels.cu, kept beside the constants the CUDA code
 * assumes (tile 128 x 128 x 8 with 256 threads; 256-thread blocks elsewhere).
 *
 * @param gridX  blocks along x
 * @param gridY  blocks along y
 * @param blockX threads per block along x
 * @param blockY threads per block along y
 */
record LaunchGeometry(int gridX, int gridY, int blockX, int blockY) {

    /** SGEMM block tile edge (BM = BN in the .cu). */
    static final int GEMM_TILE = 128;
    /** SGEMM k-step (BK): kPad must be a multiple of it. */
    static final int GEMM_TILE_K = 8;
    /** Threads of the SGEMM block: 16 x 16, each computing 8 x 8 outputs. */
    static final int GEMM_THREADS = 256;
    /** Tile edge of the float64-accumulating kernel. */
    static final int DGEMM_TILE = 16;
    /** Threads per block of the row, map and reduction kernels (block_sum assumes a multiple of 32). */
    static final int THREADS = 256;
    /** Grid-stride map: enough blocks to fill any current GPU several times, no more. */
    static final int MAP_MAX_BLOCKS = 65_535;

    int threads() {
        return blockX * blockY;
    }

    static LaunchGeometry sgemm(int mPad, int nPad) {
        requireMultiple(mPad, GEMM_TILE, "mPad");
        requireMultiple(nPad, GEMM_TILE, "nPad");
        return new LaunchGeometry(nPad / GEMM_TILE, mPad / GEMM_TILE, GEMM_THREADS, 1);
    }

    /** sgemm_nt_128x128: the same tiles as {@link #sgemm}, both operands row-major. */
    static LaunchGeometry sgemmNt(int mPad, int nPad) {
        return sgemm(mPad, nPad);
    }

    static LaunchGeometry dgemm(int mPad, int nPad) {
        requireMultiple(mPad, DGEMM_TILE, "mPad");
        requireMultiple(nPad, DGEMM_TILE, "nPad");
        return new LaunchGeometry(nPad / DGEMM_TILE, mPad / DGEMM_TILE, DGEMM_TILE, DGEMM_TILE);
    }

    /** One block per row (row statistics, reductions by row). */
    static LaunchGeometry perRow(int rows) {
        return new LaunchGeometry(rows, 1, THREADS, 1);
    }

    /** One thread per column (reductions by column). */
    static LaunchGeometry perColumn(int cols) {
        return new LaunchGeometry(ceilDiv(cols, THREADS), 1, THREADS, 1);
    }

    /** One thread per element of a rows x cols block, a grid row per matrix row. */
    static LaunchGeometry elementwise2d(int rows, int cols) {
        if (rows > 65_535) throw new IllegalArgumentException("at most 65535 rows per launch: " + rows);
        return new LaunchGeometry(ceilDiv(cols, THREADS), rows, THREADS, 1);
    }

    /** Grid-stride loop over n elements. */
    static LaunchGeometry gridStride(long n) {
        return new LaunchGeometry((int) Math.max(1, Math.min(MAP_MAX_BLOCKS, (n + THREADS - 1) / THREADS)), 1, THREADS, 1);
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    static int ceilDiv(int x, int d) {
        return (x + d - 1) / d;
    }

    private static void requireMultiple(int x, int m, String what) {
        if (x <= 0 || x % m != 0) throw new IllegalArgumentException(what + " " + x + " is not a positive multiple of " + m);
    }
}
