package org.omx.engine.normalize;

import org.omx.io.InputFormatException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Engine-side loops over independent samples, genes or rows on a bounded number of threads. The
 * range is cut into contiguous chunks (a few per thread, for balance); each chunk runs on one
 * thread with its own scratch space, so every index is computed exactly as the single-threaded
 * loop would compute it and results do not depend on the thread count.
 */
final class Parallel {

    /** Work on the indices {@code [from, to)}; allocate scratch per call. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to) throws InputFormatException;
    }

    private Parallel() {
    }

    /** Runs {@code body} over {@code [0, n)} in chunks of at least {@code minChunk} indices. */
    static void forRange(int threads, int n, int minChunk, Range body) throws InputFormatException {
        int chunks = (int) Math.min(Math.max(1, n / Math.max(1, minChunk)), 4L * threads);
        if (threads <= 1 || chunks <= 1) {
            body.run(0, n);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks), r -> {
            Thread t = new Thread(r, "omx-normalize");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                fs.add(pool.submit(() -> {
                    body.run(from, to);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof InputFormatException ife) throw ife;
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IllegalStateException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
