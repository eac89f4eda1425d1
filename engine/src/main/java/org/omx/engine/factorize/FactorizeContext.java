package org.omx.engine.factorize;

import org.omx.io.Progress;
import org.omx.kernels.api.Backend;

import java.util.function.Consumer;

/**
 * What every factorization needs besides its input: the backend that runs the tile GEMMs, the
 * memory budget that sizes tiles, where to report progress (rows of the current pass) and where to
 * log stated handling of odd input and the pass count (one line each), and the worker threads of the
 * host-side passes that run beside the backend ({@code --threads}; 0 uses every core).
 */
public record FactorizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log, int threads) {

    public FactorizeContext {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0: every core), not " + threads);
    }

    /** Every core for the host-side passes. */
    public FactorizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log) {
        this(backend, memoryBytes, progress, log, 0);
    }

    /** Worker threads for host-side passes: {@link #threads()}, or every core when that is 0. */
    public int workers() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
