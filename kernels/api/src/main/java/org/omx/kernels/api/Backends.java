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
        return open(name, threads, log, providers());
    }

    /**
     * {@link #open(String, int, Consumer)} over the given providers, tried in list order under auto
     * (callers pass them highest priority first, as {@link #providers()} does). Whatever a provider
     * does wrong (throws while probing, opening or self-checking, or fails the check) is one line in
     * {@code log} under auto, and one {@link BackendUnavailableException} for a named backend.
     */
    public static Backend open(String name, int threads, Consumer<String> log, List<BackendProvider> all) {
        if (!"auto".equals(name)) {
            BackendProvider p = all.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new BackendUnavailableException("backend '" + name + "' is not installed (have: "
                            + String.join(", ", all.stream().map(BackendProvider::name).toList()) + ")"));
            String why = reason(p);
            if (why != null) throw new BackendUnavailableException("backend '" + name + "' cannot run here: " + why);
            Backend b;
            try {
                b = p.open(threads);
            } catch (RuntimeException | LinkageError e) {
                throw new BackendUnavailableException("backend '" + name + "' failed to start: " + oneLine(e));
            }
            String failed = failedCheck(b);
            if (failed != null) {
                b.close();
                throw new BackendUnavailableException("backend '" + name + "' failed its self-check: " + failed);
            }
            log.accept("backend " + name + " (named with --backend), self-check passed");
            return b;
        }
        for (BackendProvider p : all) {
            String why = reason(p);
            if (why != null) {
                log.accept("backend " + p.name() + " skipped: " + why);
                continue;
            }
            Backend b;
            try {
                b = p.open(threads);
            } catch (RuntimeException | LinkageError e) {
                log.accept("backend " + p.name() + " skipped: failed to start: " + oneLine(e));
                continue;
            }
            String failed = failedCheck(b);
            if (failed == null) {
                log.accept("backend " + p.name() + " chosen (highest priority that passed its self-check)");
                return b;
            }
            log.accept("backend " + p.name() + " skipped: self-check failed: " + failed);
            closeQuietly(b);
        }
        throw new BackendUnavailableException("no backend available (is omx-kernels-cpu on the class path?)");
    }

    /** The provider's reason not to run, a probe that throws counting as one. */
    private static String reason(BackendProvider p) {
        try {
            return p.unavailableReason();
        } catch (RuntimeException | LinkageError e) {
            return "probe failed: " + oneLine(e);
        }
    }

    /** Null when the self-check passed; otherwise the failed items (or what was thrown) on one line. */
    private static String failedCheck(Backend b) {
        try {
            SelfCheck check = b.selfCheck();
            if (check.passed()) return null;
            return String.join("; ", check.items().stream().filter(i -> !i.passed()).map(Object::toString).toList());
        } catch (RuntimeException | LinkageError e) {
            return "threw " + oneLine(e);
        }
    }

    private static void closeQuietly(Backend b) {
        try {
            b.close();
        } catch (RuntimeException ignored) {
            // the backend is being dropped; its close failing changes nothing for the choice
        }
    }

    /** The exception's first message line, or its class name when it has no message. */
    static String oneLine(Throwable e) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) return e.getClass().getSimpleName();
        return msg.lines().findFirst().orElse("").strip();
    }
}
