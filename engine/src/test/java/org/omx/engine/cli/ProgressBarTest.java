package org.omx.engine.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressBarTest {

    @Test
    void fastItemsAreCountedPerSecond() {
        assertEquals("763 features/s", ProgressBar.rate(763.2, "features"));
        assertEquals("12 /s", ProgressBar.rate(12, ""));
    }

    @Test
    void itemsSlowerThanOnePerSecondShowSecondsPerItemInsteadOfZero() {
        assertEquals("2.5 s/tile", ProgressBar.rate(0.4, "tile"));
        assertEquals("4.0 s/item", ProgressBar.rate(0.25, ""));
    }

    @Test
    void bytesAreShownAsSizes() {
        assertEquals(org.omx.engine.ByteSize.format(3L << 20) + "/s", ProgressBar.rate(3 << 20, "B"));
    }
}
