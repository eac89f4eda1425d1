package org.omx.kernels.cuda;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.BackendUnavailableException;

/**
 * Provider of the CUDA backend. Probing loads JCuda's native library, which links against the
 * NVIDIA driver's libcuda: on a machine without a driver that is an {@link UnsatisfiedLinkError},
 * turned here into one line (never a stack trace). The probe runs once, lazily, in a holder class.
 * This class names no JCuda type, so it loads even where the JCuda jar is missing.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    /** Above the CPU backend (0) and TornadoVM on a GPU (20): native kernels tuned for NVIDIA GPUs. */
    @Override
    public int priority() {
        return 30;
    }

    @Override
    public String unavailableReason() {
        return Holder.REASON;
    }

    @Override
    public Backend open(int threads) {
        String why = Holder.REASON;
        if (why != null) throw new BackendUnavailableException("cuda: " + why);
        return CudaBackend.open(0);
    }

    private static final class Holder {
        static final String REASON = probe();
    }

    /** Null when device 0 can run the kernels; otherwise one line. Never throws. */
    static String probe() {
        try {
            Class.forName("jcuda.driver.JCudaDriver", false, CudaBackendProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "JCuda is not on the class path (omx-kernels-cuda was installed without its jcuda jars)";
        }
        try {
            return CudaBackend.probe(0);
        } catch (UnsatisfiedLinkError e) {
            // JCuda's message lists each place it tried; the line naming libcuda is the one that matters.
            String detail = e.getMessage() == null ? null : e.getMessage().lines()
                    .filter(l -> l.contains("libcuda")).findFirst().orElse(e.getMessage());
            return "no NVIDIA driver: libcuda could not be loaded (" + firstLine(detail).replace("java.lang.UnsatisfiedLinkError: ", "") + ")";
        } catch (LinkageError | RuntimeException e) {
            // jcuda.CudaException (CUDA_ERROR_NO_DEVICE, ..._INSUFFICIENT_DRIVER) is a RuntimeException
            return "CUDA driver: " + firstLine(e.getMessage());
        }
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) return "no detail";
        String line = s.lines().findFirst().orElse(s).trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
