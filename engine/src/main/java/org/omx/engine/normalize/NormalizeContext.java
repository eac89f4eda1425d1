package org.omx.engine.normalize;

import org.omx.io.Progress;
import org.omx.kernels.api.Backend;

import java.util.function.Consumer;

/**
 * What every normalization needs besides its input: the backend that runs the tile primitives, the
 * memory budget that sizes tiles and column panels, where to report progress (rows of the current
 * pass) and where to log stated handling of odd input (one line each).
 */
public record NormalizeContext(Backend backend, long memoryBytes, Progress progress, Consumer<String> log) {

    public NormalizeContext {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
    }
}
