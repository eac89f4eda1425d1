package org.omx.kernels.api;

/**
 * Reductions along rows or columns. All of them skip NaN (missing values); the result over a
 * line with no non-missing value is NaN, except COUNT (0) and SUM (0).
 */
public enum Reduction {
    SUM,
    SUM_OF_SQUARES,
    MIN,
    MAX,
    /** The number of non-missing values. */
    COUNT
}
