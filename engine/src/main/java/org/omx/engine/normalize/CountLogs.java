package org.omx.engine.normalize;

/**
 * Natural logarithms of counts by table: {@code Math.log(k)} for whole numbers below
 * {@link #TABLE_SIZE}, computed once, so a pass over a counts matrix (most counts small) costs a
 * load per element instead of a log. The same bits as {@code Math.log}, including
 * {@code log(0) = -Infinity}; other values fall through to {@code Math.log}.
 */
final class CountLogs {

    /** Counts below this come from the table (512 KiB of doubles). */
    static final int TABLE_SIZE = 1 << 16;

    private static final double[] LOG = new double[TABLE_SIZE];

    static {
        for (int k = 0; k < TABLE_SIZE; k++) LOG[k] = Math.log(k);
    }

    private CountLogs() {
    }

    /** {@code Math.log(c)}, by table for small whole c. */
    static double log(float c) {
        int k = (int) c;
        return k == c && k >= 0 && k < TABLE_SIZE ? LOG[k] : Math.log(c);
    }
}
