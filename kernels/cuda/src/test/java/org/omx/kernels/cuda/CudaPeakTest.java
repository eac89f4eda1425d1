package org.omx.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CudaPeakTest {

    @Test
    void published_fp32_peaks_follow_from_sms_lanes_and_boost_clock() {
        // H100 SXM5: 132 SMs, 1980 MHz boost; NVIDIA's data sheet: 67 TFLOP/s FP32
        assertEquals(66_908.16, CudaPeak.gflops(9, 0, 132, 1_980_000), 0.01);
        // A100 SXM4: 108 SMs x 64 lanes, 1410 MHz; data sheet: 19.5 TFLOP/s
        assertEquals(19_491.84, CudaPeak.gflops(8, 0, 108, 1_410_000), 0.01);
        // V100 SXM2: 80 SMs x 64 lanes, 1530 MHz; data sheet: 15.7 TFLOP/s
        assertEquals(15_667.2, CudaPeak.gflops(7, 0, 80, 1_530_000), 0.01);
        // RTX 4090 (8.9): 128 SMs x 128 lanes, 2520 MHz: 82.6 TFLOP/s
        assertEquals(82_575.36, CudaPeak.gflops(8, 9, 128, 2_520_000), 0.01);
    }

    @Test
    void an_unknown_capability_or_missing_attribute_is_unknown_not_a_guess() {
        assertTrue(Double.isNaN(CudaPeak.gflops(5, 2, 24, 1_000_000)));
        assertTrue(Double.isNaN(CudaPeak.gflops(13, 0, 100, 2_000_000)));
        assertTrue(Double.isNaN(CudaPeak.gflops(9, 0, 132, 0)));
    }
}
