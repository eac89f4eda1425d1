package org.omx.kernels.tornado;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.BackendUnavailableException;

/**
 * Provider of the TornadoVM backend. It must load and answer even where TornadoVM is absent: this
 * class names no TornadoVM type, and {@link Probe} touches TornadoVM only after
 * {@link Class#forName} has found it, catching {@link LinkageError} for a half-present runtime. The
 * probe runs once per JVM, lazily, in a holder class (TornadoVM's runtime start takes a second or two).
 *
 * <p>Priority: a GPU or accelerator device ranks above the CPU backend (0), so {@code --backend auto}
 * takes it once its self-check passes ({@code Backends.open} runs the self-check and falls back to
 * the next backend otherwise). A CPU OpenCL device such as PoCL ranks below the CPU backend: it
 * computes on the same cores as the CPU backend, only slower, so auto should not pick it.
 */
public final class TornadoBackendProvider implements BackendProvider {

    static final String API_CLASS = "uk.ac.manchester.tornado.api.TornadoExecutionPlan";

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public int priority() {
        Probe p = Holder.PROBE;
        if (p.reason() != null) return -100;
        return p.accelerator() ? 20 : -10;
    }

    @Override
    public String unavailableReason() {
        return Holder.PROBE.reason();
    }

    @Override
    public Backend open(int threads) {
        Probe p = Holder.PROBE;
        if (p.reason() != null) throw new BackendUnavailableException("tornado: " + p.reason());
        return TornadoBackend.openDefaultDevice();
    }

    /** What the one-time probe found: a reason not to run, or whether the default device is an accelerator. */
    record Probe(String reason, boolean accelerator) {
    }

    private static final class Holder {
        static final Probe PROBE = probe();
    }

    /** The one-line reason TornadoVM cannot run in this JVM, or null; never throws. */
    static Probe probe() {
        try {
            Class.forName(API_CLASS, false, TornadoBackendProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new Probe("TornadoVM is not on the module path (start omx with ./omx where a TornadoVM SDK"
                    + " is present, or set TORNADOVM_HOME)", false);
        }
        if (System.getProperty("tornado.load.runtime.implementation") == null)
            return new Probe("the JVM was started without TornadoVM's options (see `tornado --printJavaFlags`)", false);
        try {
            return TornadoBackend.probeDefaultDevice();
        } catch (RuntimeException | LinkageError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Probe("TornadoVM failed to start: " + msg, false);
        }
    }
}
