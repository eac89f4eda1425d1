package org.omx.engine.cli;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.Backends;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * A backend opened on a background thread, so its probes and self-check (a few hundred ms of cold
 * code on a CPU-only machine) overlap the command's own start: opening the store, the plan. Its log
 * lines are held back until {@link #get()}, so they appear where a plain {@link Backends#open} would
 * have written them. Closing without {@link #get()} (the command failed first) closes the backend.
 */
final class BackendOpening implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final FutureTask<Backend> task;
    private final Consumer<String> log;
    private boolean taken;

    BackendOpening(String name, int threads, Consumer<String> log) {
        this.log = log;
        this.task = new FutureTask<>(() -> Backends.open(name, threads, line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }));
        Thread.ofPlatform().daemon().name("omx-backend-open").start(task);
    }

    /** The backend, once; what opening it threw is thrown here, as the direct call would have. */
    Backend get() throws Exception {
        try {
            Backend b = task.get();
            taken = true;
            return b;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw e;
        } finally {
            synchronized (lines) {
                lines.forEach(log);
                lines.clear();
            }
        }
    }

    @Override
    public void close() {
        if (taken) return;
        try {
            task.get().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // the command failed already; a backend that did not open leaves nothing to close
        }
    }
}
