package org.omx.kernels.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Theoretical float32 peak of the cores the CPU backend uses: physical cores x FMA pipes x float
 * lanes x 2 flops (multiply and add) x clock. What is assumed, since /proc/cpuinfo does not say:
 * <ul>
 *   <li>2 FMA pipes per core (Intel since Haswell, AMD since Zen 2);</li>
 *   <li>the lanes are those of the Vector API's preferred species, except that AMD cores before
 *       Zen 5 (Zen 4, "cpu family" 25) run a 512-bit operation as two 256-bit halves, so AMD with
 *       512-bit vectors counts 8 lanes there; Zen 5 ("cpu family" 26 and later) has full 512-bit
 *       FMA pipes and counts 16 (its mobile parts with 256-bit pipes are then overcounted 2x);</li>
 *   <li>the clock is the current "cpu MHz" of /proc/cpuinfo (base or current frequency; turbo and
 *       AVX-512 down-clocking are not modelled; in a virtual machine it is often the nominal base
 *       clock while the cores run at turbo, so measured GEMM can come close to or pass this figure);</li>
 *   <li>hyper-threads share their core's FMA pipes: threads beyond the physical cores add nothing.</li>
 * </ul>
 *
 * @param gflops     the estimate, NaN where /proc/cpuinfo gives no clock
 * @param assumption one line stating the product, for reports
 */
record CpuPeak(double gflops, String assumption) {

    static final int FMA_PIPES = 2;
    /** AMD "cpu family" of Zen 5 (0x1A), the first AMD core with full-width 512-bit FMA. */
    static final int ZEN5_FAMILY = 26;

    static CpuPeak fromProcCpuinfo(int threads, int lanes) {
        try {
            return estimate(Files.readString(Path.of("/proc/cpuinfo")), threads, lanes);
        } catch (IOException | RuntimeException e) {
            return new CpuPeak(Double.NaN, "unknown (no /proc/cpuinfo)");
        }
    }

    /** The estimate from the text of /proc/cpuinfo (its first processor's block decides). */
    static CpuPeak estimate(String cpuinfo, int threads, int lanes) {
        double mhz = Double.NaN;
        int siblings = 0;
        int cores = 0;
        String vendor = "";
        int family = -1;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            try {
                switch (key) {
                    case "cpu MHz" -> { if (Double.isNaN(mhz)) mhz = Double.parseDouble(value); }
                    case "siblings" -> { if (siblings == 0) siblings = Integer.parseInt(value); }
                    case "cpu cores" -> { if (cores == 0) cores = Integer.parseInt(value); }
                    case "vendor_id" -> { if (vendor.isEmpty()) vendor = value; }
                    case "cpu family" -> { if (family < 0) family = Integer.parseInt(value); }
                    default -> { }
                }
            } catch (NumberFormatException ignored) {
                // a field we cannot read stays unknown
            }
        }
        if (Double.isNaN(mhz) || mhz <= 0) return new CpuPeak(Double.NaN, "unknown (no cpu MHz in /proc/cpuinfo)");
        int threadsPerCore = siblings > 0 && cores > 0 ? Math.max(1, siblings / cores) : 1;
        int physical = Math.max(1, threads / threadsPerCore);
        int effectiveLanes = vendor.equals("AuthenticAMD") && family < ZEN5_FAMILY && lanes > 8 ? 8 : lanes;
        double gflops = physical * FMA_PIPES * effectiveLanes * 2 * mhz / 1000;
        return new CpuPeak(gflops, String.format(Locale.ROOT,
                "%d cores x %d FMA pipes x %d float lanes x 2 flops x %.0f MHz (assumed; see CpuPeak)",
                physical, FMA_PIPES, effectiveLanes, mhz));
    }
}
