package org.omx.engine;

/**
 * A user's data or parameters make an analysis impossible (constant features, too few samples, a
 * traits table that shares no samples). The message names the file, feature or parameter; the
 * command line prints it as one line and exits with code 2. Analyses refine it
 * ({@code NetworkInputException}, {@code FactorizeInputException}).
 */
public class EngineInputException extends RuntimeException {
    public EngineInputException(String message) {
        super(message);
    }
}
