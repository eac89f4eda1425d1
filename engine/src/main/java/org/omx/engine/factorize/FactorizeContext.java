package org.omx.engine.factorize;

import org.omx.io.Progress;
import org.omx.kernels.api.Backend;

import java.util.function.Consumer;

/**
 * What every factorization needs besides its input: the backend that runs the tile GEMMs, the
 * memory budget that sizes tiles, where to report progress (rows of the current pass) and where to
 * log stated handling of odd input and the pass count (one line each).
 */
public record FactorizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log) {

    public FactorizeContext {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
    }
}
