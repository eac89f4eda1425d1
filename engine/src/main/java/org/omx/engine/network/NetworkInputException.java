package org.omx.engine.network;

/**
 * Data or parameters that a network cannot be built from (constant features, missing values, too
 * few samples, no power with a scale-free fit). The message names the features or the parameter;
 * the command line prints it as one line and exits with code 2.
 */
public final class NetworkInputException extends org.omx.engine.EngineInputException {
    public NetworkInputException(String message) {
        super(message);
    }
}
