package org.omx.kernels.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferBandwidthTest {

    @Test
    void gb_per_second_is_bytes_over_seconds_in_units_of_ten_to_the_ninth() {
        assertEquals(2.5, TransferBandwidth.gbPerSecond(5_000_000_000L, 2.0), 1e-12);
        assertTrue(Double.isNaN(TransferBandwidth.gbPerSecond(1 << 20, 0)));
    }

    @Test
    void best_seconds_warms_up_once_then_keeps_the_fastest_repetition() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // the warm-up and the first timed run are slow, the last two fast
        double best = TransferBandwidth.bestSeconds(3, () -> {
            int c = calls.getAndIncrement();
            sleepMillis(c < 2 ? 40 : 5);
        });
        assertEquals(4, calls.get());
        assertTrue(best >= 0.004 && best < 0.035, "best " + best);
        assertThrows(IllegalArgumentException.class, () -> TransferBandwidth.bestSeconds(0, () -> { }));
    }

    @Test
    void a_backend_in_host_memory_reports_not_applicable_by_default() {
        TransferBandwidth t = TransferBandwidth.notApplicable("host memory");
        assertFalse(t.applicable());
        assertTrue(Double.isNaN(t.hostToDeviceGBs()) && Double.isNaN(t.deviceToHostGBs()));
        assertTrue(t.method().startsWith("not applicable"));
        assertTrue(new TransferBandwidth(1024, 3.0, Double.NaN, "m").applicable());
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
