package org.omx.kernels.api;

/**
 * The precision of the running sums inside a GEMM. Inputs are always float32; FLOAT64 keeps the
 * partial sums in double so long inner dimensions (many samples) lose no digits, at some speed.
 */
public enum Accumulation {
    FLOAT32,
    FLOAT64
}
