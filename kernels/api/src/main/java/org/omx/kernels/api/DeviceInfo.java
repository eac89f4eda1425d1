package org.omx.kernels.api;

/**
 * One compute device as a backend sees it.
 *
 * @param backend       the backend's name ("cpu", "cuda", "tornado")
 * @param name          the device's own name (CPU model, GPU name)
 * @param computeUnits  cores, SMs or OpenCL compute units
 * @param memoryBytes   memory the device can use (host RAM for the CPU), or -1 if unknown
 * @param version       compute capability, OpenCL version or ISA features, free text
 * @param peakGflops    theoretical float32 peak in GFLOP/s, or NaN where unknown
 */
public record DeviceInfo(String backend, String name, int computeUnits, long memoryBytes, String version,
                         double peakGflops) {
}
