package org.omx.kernels.api;

/** Which way a reduction runs: ROWS gives one value per row, COLUMNS one value per column. */
public enum Axis {
    ROWS,
    COLUMNS
}
