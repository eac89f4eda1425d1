package org.omx.kernels.api;

/** Whether a GEMM operand is used as stored or transposed ({@code op(A) = A} or {@code A^T}). */
public enum Op {
    /** Use the matrix as stored. */
    N,
    /** Use the transpose of the matrix. */
    T
}
