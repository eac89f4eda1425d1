package org.omx.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenClPeakTest {

    @Test
    void a_pocl_cpu_device_counts_units_pipes_lanes_and_clock() {
        // 2 units x 2 pipes x 16 lanes x 2 flops x 2.5 GHz = 320 GFLOP/s
        assertEquals(320, OpenClPeak.estimate(true, "pthread-skylake-avx512-AMD EPYC", 2, 2500).gflops(), 1e-9);
        assertEquals(4 * 2 * 8 * 2 * 3.0, OpenClPeak.estimate(true, "pthread-haswell-Intel Core", 4, 3000).gflops(), 1e-9);
    }

    @Test
    void gpus_and_untagged_cpus_are_unknown_never_made_up() {
        OpenClPeak gpu = OpenClPeak.estimate(false, "NVIDIA H100 80GB HBM3", 132, 1980);
        assertTrue(Double.isNaN(gpu.gflops()));
        assertTrue(gpu.assumption().startsWith("unknown"));
        assertTrue(Double.isNaN(OpenClPeak.estimate(true, "cpu-generic", 8, 3000).gflops()));
        assertTrue(Double.isNaN(OpenClPeak.estimate(true, "pthread-skylake-avx512", 2, 0).gflops()));
    }
}
