package org.omx.engine.cli;

/** A mistake in how omx was called (conflicting options, a missing companion file): exit code 2, one line. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
