package org.omx.engine.normalize;

import org.omx.io.Progress;
import org.omx.kernels.api.Backend;

import java.util.function.Consumer;

/**
 * What every normalization needs besides its input: the backend that runs the tile primitives, the
 * memory budget that sizes tiles and column panels, where to report progress (rows of the current
 * pass), where to log stated handling of odd input (one line each), and how many threads the
 * engine-side loops (per-sample TMM factors and medians, per-gene dispersions, element-wise output
 * passes) may use. Results never depend on the thread count: every sample or gene is computed by
 * one thread, in the same order of operations.
 */
public record NormalizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log, int threads) {

    public NormalizeContext {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
    }

    /** With one thread per available processor. */
    public NormalizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log) {
        this(backend, memoryBytes, progress, log, Runtime.getRuntime().availableProcessors());
    }
}
