package org.omx.io;

/**
 * Receives progress of long work: how much of a total is done, in the task's own unit (bytes,
 * rows). Implementations must be cheap; callers report at most a few hundred times a second.
 */
@FunctionalInterface
public interface Progress {

    /** Progress that goes nowhere. */
    Progress NONE = (done, total) -> { };

    /** {@code done} of {@code total} units finished; {@code total} is -1 when unknown. */
    void update(long done, long total);
}
