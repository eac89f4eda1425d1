package org.omx.kernels.cuda;

/**
 * Which kernel image a device can load, decided before any load is tried so that the reason a GPU
 * cannot be used is one plain sentence (not CUDA_ERROR_UNSUPPORTED_PTX_VERSION from deep inside).
 */
final class DriverCompatibility {

    /** The image to load on a device. */
    enum Choice { CUBIN_SM90, PTX }

    private DriverCompatibility() {
    }

    /** sm_90 devices take the cubin (no JIT, any driver that knows sm_90); others the PTX. */
    static Choice choose(int ccMajor, int ccMinor) {
        return ccMajor == 9 && ccMinor == 0 ? Choice.CUBIN_SM90 : Choice.PTX;
    }

    /**
     * Null when the device can run the kernels, otherwise why not, in one line.
     *
     * @param driverVersion cuDriverGetVersion's value (12080 is CUDA 12.8)
     */
    static String reason(int driverVersion, int ccMajor, int ccMinor, KernelImage image) {
        if (ccMajor < 7 || (ccMajor == 7 && ccMinor < 5))
            return "GPU compute capability " + ccMajor + "." + ccMinor + " is below 7.5, the oldest the kernels are built for";
        if (choose(ccMajor, ccMinor) == Choice.PTX && driverVersion < image.minimumDriverForPtx())
            return "the NVIDIA driver supports CUDA " + cudaVersion(driverVersion) + " but the kernels' PTX (ISA "
                    + image.ptxIsa() + ") needs CUDA " + cudaVersion(image.minimumDriverForPtx())
                    + " or newer; update the driver (sm_90 GPUs use the bundled cubin instead)";
        return null;
    }

    static String cudaVersion(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
