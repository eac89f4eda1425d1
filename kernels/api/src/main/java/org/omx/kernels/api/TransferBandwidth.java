package org.omx.kernels.api;

/**
 * Measured copy bandwidth between host memory and a backend's device memory, in GB/s (10^9 bytes
 * per second) for one buffer of {@code bytes}, each direction timed alone, the best of a few
 * repetitions. Backends that compute in host memory report {@link #notApplicable}: there is no
 * copy to time.
 *
 * @param bytes            the buffer size timed, or 0 when not applicable
 * @param hostToDeviceGBs  host to device, NaN when not applicable
 * @param deviceToHostGBs  device to host, NaN when not applicable
 * @param method           how it was measured (which buffers, which calls, which clock)
 */
public record TransferBandwidth(long bytes, double hostToDeviceGBs, double deviceToHostGBs, String method) {

    public static TransferBandwidth notApplicable(String why) {
        return new TransferBandwidth(0, Double.NaN, Double.NaN, "not applicable: " + why);
    }

    public boolean applicable() {
        return !Double.isNaN(hostToDeviceGBs) || !Double.isNaN(deviceToHostGBs);
    }

    /** GB/s of moving {@code bytes} in {@code seconds}; NaN for a time that is not positive (clock too coarse). */
    public static double gbPerSecond(long bytes, double seconds) {
        return seconds > 0 ? bytes / seconds / 1e9 : Double.NaN;
    }

    /** Copy times of a few repetitions after one untimed warm-up copy (allocation, page faults): the fastest, in seconds. */
    public static double bestSeconds(int repetitions, Runnable copy) {
        if (repetitions < 1) throw new IllegalArgumentException("repetitions must be at least 1: " + repetitions);
        copy.run();
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            copy.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
