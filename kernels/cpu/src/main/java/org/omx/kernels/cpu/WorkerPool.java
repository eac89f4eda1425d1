package org.omx.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed set of daemon threads that, together with the calling thread, drain a counter of task
 * indices. Tasks are claimed dynamically, so a core slowed by another process just takes fewer.
 * Each participating thread borrows one {@link Scratch} (packing buffers) for the whole call and
 * returns it, so buffers are reused across calls without thread-locals pinning them to callers.
 */
final class WorkerPool implements AutoCloseable {

    /** Work for one task index, given the scratch buffers of the thread running it. */
    interface Task {
        void run(int index, Scratch scratch);
    }

    private static final AtomicLong POOL_IDS = new AtomicLong();

    private final int threads;
    private final ExecutorService helpers;
    private final ConcurrentLinkedQueue<Scratch> scratches = new ConcurrentLinkedQueue<>();

    WorkerPool(int threads) {
        this.threads = threads;
        long id = POOL_IDS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.helpers = threads <= 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "omx-cpu-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} for every index in {@code [0, count)}, on up to {@link #threads()} threads
     * (the caller among them), or on the caller alone when {@code parallel} is false (memory that
     * only the caller's thread may touch, such as a confined arena's segment).
     */
    void forEach(int count, boolean parallel, Task task) {
        if (count <= 0) return;
        AtomicInteger next = new AtomicInteger();
        // Completion is counted per index, not per helper: a helper's Future says nothing useful
        // (cancel(false) "succeeds" on a running FutureTask and get() would then return early).
        CountDownLatch finished = new CountDownLatch(count);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Runnable drain = () -> {
            Scratch s = borrow();
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    try {
                        if (error.get() == null) task.run(i, s); // after a failure, only claim and count
                    } catch (Throwable t) {
                        error.compareAndSet(null, t);
                    } finally {
                        finished.countDown();
                    }
                }
            } finally {
                scratches.add(s);
            }
        };
        int extra = (parallel && helpers != null) ? Math.min(threads, count) - 1 : 0;
        List<Future<?>> futures = new ArrayList<>(extra);
        for (int i = 0; i < extra; i++) futures.add(helpers.submit(drain));
        drain.run(); // the caller claims whatever the helpers have not, so only running tasks remain
        for (Future<?> f : futures) f.cancel(false); // helpers that never started have nothing to claim
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the running tasks use buffers the caller owns: wait them out
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable t = error.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    private Scratch borrow() {
        Scratch s = scratches.poll();
        return s != null ? s : new Scratch();
    }

    @Override
    public void close() {
        if (helpers != null) helpers.shutdownNow();
        scratches.clear();
    }
}
