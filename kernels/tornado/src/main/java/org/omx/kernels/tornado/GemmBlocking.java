package org.omx.kernels.tornado;

/**
 * How a GEMM is cut into device-sized blocks: C in {@code mb x nb} blocks, the inner dimension in
 * {@code kb} slices, every block a multiple of the kernels' tile so the padded block still fits its
 * buffer. Each of the three buffers (A {@code mb x kb}, B {@code kb x nb}, C {@code mb x nb}) holds at
 * most {@code maxFloats}. Slicing k is the last resort (the host then sums the slices in double),
 * taken only when a 64-row slab of A over the whole k would not fit.
 *
 * @param mb      rows of C per block (a multiple of {@link TornadoKernels#TILE})
 * @param nb      columns of C per block (a multiple of {@link TornadoKernels#TILE})
 * @param kb      depth per slice (a multiple of {@link TornadoKernels#TILE_K})
 * @param kBlocks number of depth slices
 */
record GemmBlocking(int mb, int nb, int kb, int kBlocks) {

    static GemmBlocking plan(int m, int n, int k, int maxFloats) {
        int tile = TornadoKernels.TILE;
        int tileK = TornadoKernels.TILE_K;
        if (maxFloats < tile * tile) throw new IllegalArgumentException("buffer limit below one tile: " + maxFloats);
        int kb = Math.min(roundUp(k, tileK), Math.max(tileK, roundDown(maxFloats / tile, tileK)));
        int nb = Math.min(roundUp(n, tile), Math.max(tile, roundDown(maxFloats / Math.max(kb, tile), tile)));
        int mb = Math.min(roundUp(m, tile), Math.max(tile, roundDown(maxFloats / Math.max(kb, nb), tile)));
        return new GemmBlocking(mb, nb, kb, (k + kb - 1) / kb);
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    static int roundDown(int x, int multiple) {
        return x / multiple * multiple;
    }
}
