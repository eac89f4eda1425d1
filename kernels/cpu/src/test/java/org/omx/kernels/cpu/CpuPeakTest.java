package org.omx.kernels.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuPeakTest {

    static String cpuinfo(String vendor, double mhz, int siblings, int cores) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu MHz\t\t: " + mhz + "\nsiblings\t: " + siblings
                + "\ncpu cores\t: " + cores + "\n\nprocessor\t: 1\ncpu MHz\t\t: 999.0\n";
    }

    @Test
    void cores_times_fma_pipes_times_lanes_times_two_times_clock() {
        // Intel, AVX-512 (16 lanes), 2 cores at 2 GHz: 2 x 2 x 16 x 2 x 2.0 = 256 GFLOP/s
        assertEquals(256, CpuPeak.estimate(cpuinfo("GenuineIntel", 2000, 2, 2), 2, 16).gflops(), 1e-9);
    }

    @Test
    void amd_512_bit_counts_as_two_256_bit_halves() {
        assertEquals(128, CpuPeak.estimate(cpuinfo("AuthenticAMD", 2000, 2, 2), 2, 16).gflops(), 1e-9);
        assertEquals(128, CpuPeak.estimate(cpuinfo("AuthenticAMD", 2000, 2, 2), 2, 8).gflops(), 1e-9);
    }

    @Test
    void amd_zen5_has_full_512_bit_pipes() {
        String zen5 = cpuinfo("AuthenticAMD", 2000, 2, 2).replace("vendor_id", "cpu family\t: 26\nvendor_id");
        String zen4 = cpuinfo("AuthenticAMD", 2000, 2, 2).replace("vendor_id", "cpu family\t: 25\nvendor_id");
        assertEquals(256, CpuPeak.estimate(zen5, 2, 16).gflops(), 1e-9);
        assertEquals(128, CpuPeak.estimate(zen4, 2, 16).gflops(), 1e-9);
    }

    @Test
    void hyper_threads_add_no_fma_pipes() {
        // 8 threads on 4 cores with 2 threads each: 4 cores count
        assertEquals(4 * 2 * 8 * 2 * 3.0, CpuPeak.estimate(cpuinfo("GenuineIntel", 3000, 8, 4), 8, 8).gflops(), 1e-9);
    }

    @Test
    void no_clock_is_unknown_not_zero() {
        CpuPeak p = CpuPeak.estimate("processor\t: 0\nvendor_id\t: ARM\n", 4, 4);
        assertTrue(Double.isNaN(p.gflops()));
        assertTrue(p.assumption().startsWith("unknown"));
    }
}
