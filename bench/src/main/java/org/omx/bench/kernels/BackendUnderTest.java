package org.omx.bench.kernels;

import org.omx.kernels.api.Backend;
import org.omx.kernels.api.BackendProvider;
import org.omx.kernels.api.Backends;

/**
 * Opens a backend by name for a benchmark, or skips it: a backend that cannot run in this JVM
 * (no driver, no device, JVM started without TornadoVM's options) ends the trial with one line,
 * {@link Skipped}, which carries no stack trace, and JMH goes on with the next parameter set.
 */
final class BackendUnderTest {

    /** A trial skipped because its backend cannot run here; the message says why. */
    static final class Skipped extends RuntimeException {
        Skipped(String message) {
            super(message, null, false, false);
        }
    }

    private BackendUnderTest() {
    }

    static Backend open(String name, int threads) {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new Skipped("backend " + name + " skipped: not on the class path"));
        String why = p.unavailableReason();
        if (why != null) {
            System.err.println("backend " + name + " skipped: " + why);
            throw new Skipped("backend " + name + " skipped: " + why);
        }
        return Backends.open(name, threads, System.err::println);
    }
}
