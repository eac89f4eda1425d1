package org.omx.engine.network;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Engine-side loops over rows on a bounded number of threads, for the per-element work that has no
 * Backend primitive (bicor weights, connectivity sums over several powers, the TOM quotient).
 *
 * <p>One pool per thread count is kept for the life of the process (daemon threads): the passes call
 * this once per tile, and starting threads for every tile cost more than small tiles' work.
 */
final class Parallel {

    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    private Parallel() {
    }

    static void forEach(int threads, int n, IntConsumer body) {
        if (threads <= 1 || n < 2) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        ForkJoinPool pool = POOLS.computeIfAbsent(threads, ForkJoinPool::new);
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    }
}
