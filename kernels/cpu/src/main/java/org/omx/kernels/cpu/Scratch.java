package org.omx.kernels.cpu;

/** Per-thread working memory, grown on demand and kept for the next call. */
final class Scratch {
    float[] packA = new float[0];
    float[] packB = new float[0];
    double[] packA64 = new double[0];
    double[] packB64 = new double[0];
    double[] acc64 = new double[0];
    float[] tile = new float[0];
    float[] row = new float[0];
    double[] sums = new double[0];
    double[] sums2 = new double[0];
    long[] keys = new long[0];
    int[] counts = new int[0];

    float[] packA(int n) { return packA.length >= n ? packA : (packA = new float[n]); }
    float[] packB(int n) { return packB.length >= n ? packB : (packB = new float[n]); }
    double[] packA64(int n) { return packA64.length >= n ? packA64 : (packA64 = new double[n]); }
    double[] packB64(int n) { return packB64.length >= n ? packB64 : (packB64 = new double[n]); }
    double[] acc64(int n) { return acc64.length >= n ? acc64 : (acc64 = new double[n]); }
    float[] tile(int n) { return tile.length >= n ? tile : (tile = new float[n]); }
    float[] row(int n) { return row.length >= n ? row : (row = new float[n]); }
    double[] sums(int n) { return sums.length >= n ? sums : (sums = new double[n]); }
    double[] sums2(int n) { return sums2.length >= n ? sums2 : (sums2 = new double[n]); }
    long[] keys(int n) { return keys.length >= n ? keys : (keys = new long[n]); }
    int[] counts(int n) { return counts.length >= n ? counts : (counts = new int[n]); }
}
