package org.omx.kernels.api;

/** A backend was asked for by name but cannot run here; the message says why in one line. */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
