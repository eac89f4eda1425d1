package org.omx.engine.normalize;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The count log table gives Math.log's bits, in and beyond the table. */
class CountLogsTest {

    @Test
    void same_bits_as_math_log() {
        for (int k = 0; k < CountLogs.TABLE_SIZE + 1000; k++)
            assertEquals(Double.doubleToRawLongBits(Math.log(k)), Double.doubleToRawLongBits(CountLogs.log(k)), "log " + k);
        for (float x : new float[]{0.5f, 2.25f, 1e9f, 16777216f, Float.POSITIVE_INFINITY, -1f, Float.NaN})
            assertEquals(Double.doubleToRawLongBits(Math.log(x)), Double.doubleToRawLongBits(CountLogs.log(x)), "log " + x);
    }
}
