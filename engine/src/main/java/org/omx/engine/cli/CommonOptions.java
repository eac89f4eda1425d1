package org.omx.engine.cli;

import picocli.CommandLine.Option;

/** Options that read the same in every command that computes: threads, memory, backend, quiet. */
public final class CommonOptions {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads; 0 uses every core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "auto", converter = MemorySize.class,
            description = "Memory budget for buffers and tiles, e.g. 512m, 4g; the omx launcher also caps the Java heap at it (less 1/8, "
                    + "128-512 MiB, for the JVM itself), so peak RSS stays within it; 'auto' is three quarters of the JVM's maximum heap (default: ${DEFAULT-VALUE}).")
    long memoryBytes;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: auto, cpu, cuda or tornado; auto picks the fastest that passes its self-check (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars or log lines on stderr.")
    boolean quiet;

    public int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public String backend() {
        return backend;
    }

    public boolean quiet() {
        return quiet;
    }

    /** A progress bar on stderr for a task, silent under --quiet. */
    public ProgressBar progress(String task, String unit) {
        return new ProgressBar(task, unit, quiet);
    }

    /** One line of log on stderr, silent under --quiet. */
    public void log(String line) {
        if (!quiet) System.err.println(line);
    }
}
