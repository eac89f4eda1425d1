package org.omx.engine.factorize;

import org.omx.kernels.api.FloatMatrix;

import java.util.List;

/**
 * A features x samples matrix already on the heap (row-major floats), read as tiles that are views of
 * it: for the passes that follow a copy of a small source to the heap (NMF's initializing SVD and
 * final residual), which would otherwise copy every row out of the file mapping again.
 */
final class HeapRows implements RowSource {

    private final float[] data;
    private final int rows;
    private final RowSource copiedFrom;

    /** {@code data} holds all of {@code copiedFrom}'s rows in order; ids and description are its. */
    HeapRows(float[] data, RowSource copiedFrom) {
        if (data.length != copiedFrom.rows() * copiedFrom.cols())
            throw new IllegalArgumentException("heap copy of " + data.length + " values for " + copiedFrom.rows() + " x " + copiedFrom.cols());
        this.data = data;
        this.rows = (int) copiedFrom.rows();
        this.copiedFrom = copiedFrom;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public int cols() {
        return copiedFrom.cols();
    }

    @Override
    public List<String> rowIds() {
        return copiedFrom.rowIds();
    }

    @Override
    public List<String> colIds() {
        return copiedFrom.colIds();
    }

    @Override
    public void forEachTile(int tileRows, TileVisitor visitor) {
        FloatMatrix all = FloatMatrix.wrap(data, rows, cols());
        for (int r0 = 0; r0 < rows; r0 += tileRows) visitor.accept(all.rows(r0, Math.min(tileRows, rows - r0)), r0);
    }

    @Override
    public String describe() {
        return copiedFrom.describe();
    }
}
