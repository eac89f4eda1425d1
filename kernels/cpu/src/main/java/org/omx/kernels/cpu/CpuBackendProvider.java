package org.omx.kernels.cpu;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;

/**
 * Provider of the CPU backend, the reference every other backend is checked against. It is always
 * available: without the Vector API it falls back to scalar kernels and says why in one line
 * (the DeviceInfo version and a log message), as Lucene's VectorizationProvider does.
 */
public final class CpuBackendProvider implements BackendProvider {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend open(int threads) {
        return CpuBackend.open(threads);
    }

    static CpuKernels kernels() {
        return Holder.KERNELS;
    }

    /** Chosen once, lazily, on first use. */
    private static final class Holder {
        static final CpuKernels KERNELS = choose();

        private static CpuKernels choose() {
            String why = vectorUnusableReason();
            if (why == null) {
                try {
                    return (CpuKernels) Class.forName("org.omx.kernels.cpu.VectorCpuKernels")
                            .getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    why = "Vector API kernels failed to load: " + e;
                }
            }
            System.getLogger(CpuBackendProvider.class.getName()).log(System.Logger.Level.WARNING,
                    "omx cpu backend uses scalar kernels (slow): " + why);
            return new ScalarCpuKernels(why);
        }

        private static String vectorUnusableReason() {
            var module = ModuleLayer.boot().findModule(VECTOR_MODULE);
            if (module.isEmpty())
                return VECTOR_MODULE + " module is not readable (start java with --add-modules " + VECTOR_MODULE + ")";
            if (!CpuBackendProvider.class.getModule().canRead(module.get()))
                return VECTOR_MODULE + " is not readable by " + CpuBackendProvider.class.getModule();
            String vm = System.getProperty("java.vm.name", "");
            if (!vm.contains("HotSpot") && !vm.contains("OpenJDK"))
                return "not a HotSpot VM (" + vm + "), the Vector API would not be compiled to SIMD";
            return null;
        }
    }
}
