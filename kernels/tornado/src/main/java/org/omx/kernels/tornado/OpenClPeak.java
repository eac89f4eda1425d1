package org.omx.kernels.tornado;

import java.util.Locale;

/**
 * Theoretical FP32 peak of an OpenCL device from what TornadoVM's device API reports (compute units,
 * maximum clock in MHz, device type and name). OpenCL device info says nothing about FP32 lanes per
 * compute unit, and TornadoVM 5.2 does not expose the preferred vector width, so:
 * <ul>
 *   <li>CPU devices: compute units x 2 FMA pipes (assumed, as for the CPU backend) x float lanes x 2
 *       FLOP x clock, the lanes read from the LLVM target PoCL names the device after ("avx512" in
 *       the name: 16 lanes; "avx2", "haswell" ... "znver": 8); a name without such a tag is unknown;</li>
 *   <li>GPUs and accelerators: unknown (NaN), since the lanes per compute unit differ by vendor and
 *       generation and are not in the device info; the CUDA backend gives NVIDIA's figure.</li>
 * </ul>
 *
 * @param gflops     the estimate, NaN where unknown
 * @param assumption the product, or why it is unknown, for reports
 */
record OpenClPeak(double gflops, String assumption) {

    static OpenClPeak estimate(boolean cpu, String deviceName, int computeUnits, int clockMhz) {
        if (!cpu) return new OpenClPeak(Double.NaN, "unknown (OpenCL device info has no FP32 lanes per compute unit)");
        int lanes = cpuLanes(deviceName);
        if (lanes == 0 || computeUnits <= 0 || clockMhz <= 0)
            return new OpenClPeak(Double.NaN, "unknown (no SIMD width in the device name or no clock: " + deviceName + ", "
                    + clockMhz + " MHz)");
        double gflops = computeUnits * 2.0 * lanes * 2 * clockMhz / 1000;
        return new OpenClPeak(gflops, String.format(Locale.ROOT,
                "%d compute units x 2 FMA pipes x %d float lanes x 2 flops x %d MHz (assumed; see OpenClPeak)",
                computeUnits, lanes, clockMhz));
    }

    private static int cpuLanes(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("avx512")) return 16;
        for (String tag : new String[] {"avx2", "haswell", "broadwell", "skylake", "alderlake", "znver"})
            if (n.contains(tag)) return 8;
        return 0;
    }
}
