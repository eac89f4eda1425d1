package org.omx.kernels.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Finds backends at run time and chooses one. The engine names backends only by string, never by
 * class, so a backend module can be absent from the class path without anyone noticing but this class.
 */
public final class Backends {

    private Backends() {
    }

    /** Every provider on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /**
     * Opens the backend named {@code name}, or with {@code "auto"} the highest-priority one that is
     * available and passes its self-check. Each backend skipped under auto is reported through
     * {@code log} in one line; a named backend that cannot run is a {@link BackendUnavailableException}.
     */
    public static Backend open(String name, int threads, Consumer<String> log) {
        List<BackendProvider> all = providers();
        if (!"auto".equals(name)) {
            BackendProvider p = all.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new BackendUnavailableException("backend '" + name + "' is not installed (have: "
                            + String.join(", ", all.stream().map(BackendProvider::name).toList()) + ")"));
            String why = p.unavailableReason();
            if (why != null) throw new BackendUnavailableException("backend '" + name + "' cannot run here: " + why);
            Backend b = p.open(threads);
            SelfCheck check = b.selfCheck();
            if (!check.passed()) {
                b.close();
                throw new BackendUnavailableException("backend '" + name + "' failed its self-check: " + check.items());
            }
            return b;
        }
        for (BackendProvider p : all) {
            String why = p.unavailableReason();
            if (why != null) {
                log.accept("backend " + p.name() + " skipped: " + why);
                continue;
            }
            Backend b;
            try {
                b = p.open(threads);
            } catch (RuntimeException | LinkageError e) {
                log.accept("backend " + p.name() + " skipped: failed to start: " + e.getMessage());
                continue;
            }
            SelfCheck check = b.selfCheck();
            if (check.passed()) {
                log.accept("backend " + p.name() + " chosen (highest priority that passed its self-check)");
                return b;
            }
            log.accept("backend " + p.name() + " skipped: self-check failed " + check.items());
            b.close();
        }
        throw new BackendUnavailableException("no backend available (is omx-kernels-cpu on the class path?)");
    }
}
