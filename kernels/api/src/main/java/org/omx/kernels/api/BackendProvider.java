package org.omx.kernels.api;

/**
 * Service-provider interface, found with {@link java.util.ServiceLoader}: one provider per
 * backend module. A provider must be cheap to construct; probing and opening may load native
 * libraries and must not throw for a missing driver or device (report it in {@link #unavailableReason()}).
 */
public interface BackendProvider {

    /** The name used with {@code --backend}. */
    String name();

    /** Preference among backends that pass the self-check when speed is unknown; higher wins. */
    int priority();

    /** Null when this backend can run here; otherwise one line saying why not, in plain words. */
    String unavailableReason();

    /** Opens the backend with the given number of host threads (0 = all available cores). */
    Backend open(int threads);
}
