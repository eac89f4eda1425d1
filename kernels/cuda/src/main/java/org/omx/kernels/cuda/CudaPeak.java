package org.omx.kernels.cuda;

/**
 * Theoretical FP32 peak of an NVIDIA GPU: SMs x FP32 lanes per SM x 2 FLOP per FMA x clock. The lanes
 * per SM follow the compute capability (NVIDIA's CUDA C++ Programming Guide, "arithmetic instructions"
 * throughput table): 64 on Volta/Turing (7.x) and on the A100 (8.0), 128 on Pascal consumer parts (6.1,
 * 6.2), GA10x/Ada (8.6, 8.7, 8.9), Hopper (9.0) and Blackwell (10.x, 12.x). A capability not in this
 * list gives NaN ("unknown"), not a guess. The clock is CU_DEVICE_ATTRIBUTE_CLOCK_RATE, the maximum
 * (boost) clock: an H100 SXM5 (132 SMs, 1,980 MHz) gives 66.9 TFLOP/s, NVIDIA's quoted 67.
 */
final class CudaPeak {

    private CudaPeak() {
    }

    /** FP32 lanes per SM, or 0 where the capability is not known here. */
    static int fp32LanesPerSm(int major, int minor) {
        return switch (major) {
            case 6 -> minor == 0 ? 64 : 128;
            case 7 -> 64;
            case 8 -> minor == 0 ? 64 : 128;
            case 9, 10, 12 -> 128;
            default -> 0;
        };
    }

    static double gflops(int major, int minor, int sms, int clockKhz) {
        int lanes = fp32LanesPerSm(major, minor);
        if (lanes == 0 || sms <= 0 || clockKhz <= 0) return Double.NaN;
        return sms * (double) lanes * 2 * clockKhz / 1e6;
    }
}
