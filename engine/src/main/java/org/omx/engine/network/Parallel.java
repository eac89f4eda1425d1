package org.omx.engine.network;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Engine-side loops over rows on a bounded number of threads, for the per-element work that has no
 * Backend primitive (bicor weights, connectivity sums over several powers, the TOM quotient).
 */
final class Parallel {

    private Parallel() {
    }

    static void forEach(int threads, int n, IntConsumer body) {
        if (threads <= 1 || n < 2) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        }
    }
}
