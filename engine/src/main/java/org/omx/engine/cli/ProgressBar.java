package org.omx.engine.cli;

import org.omx.io.Progress;

import java.util.Locale;

/**
 * Progress on stderr: a bar redrawn in place on a terminal, a line every 10 % otherwise, once a
 * task has run two seconds (logs of batch jobs stay short). Redraws at most five times a second.
 */
public final class ProgressBar implements Progress, AutoCloseable {

    private static final long REDRAW_NANOS = 200_000_000L;
    /** Off a terminal, tasks shorter than this print only their final line. */
    private static final long QUIET_NANOS = 2_000_000_000L;

    private final String task;
    private final String unit;
    private final boolean silent;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private long done;
    private long total = -1;
    private boolean drawn;

    ProgressBar(String task, String unit, boolean silent) {
        this.task = task;
        this.unit = unit;
        this.silent = silent;
    }

    @Override
    public synchronized void update(long done, long total) {
        this.done = done;
        this.total = total;
        if (silent) return;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < REDRAW_NANOS) return;
            lastDraw = now;
            System.err.print("\r" + line() + "   ");
            drawn = true;
        } else if (total > 0 && now - start > QUIET_NANOS) {
            int decile = (int) (10 * done / total);
            if (decile > lastDecile && decile > 0 && decile < 10) {
                lastDecile = decile;
                System.err.println(line());
            }
        }
    }

    private String line() {
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        String rate = rate(done / secs, unit);
        if (total > 0) {
            double f = Math.min(1.0, (double) done / total);
            int width = 24;
            int filled = (int) Math.round(f * width);
            String eta = f > 0.01 && f < 1 ? String.format(Locale.ROOT, " ETA %.0fs", secs / f - secs) : "";
            return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s%s", task, "#".repeat(filled), ".".repeat(width - filled),
                    100 * f, rate, eta);
        }
        return String.format(Locale.ROOT, "%s %s", task, rate);
    }

    /** The throughput shown on the bar: bytes as sizes, slow items as seconds per item. */
    static String rate(double perSecond, String unit) {
        if (unit.equals("B")) return org.omx.engine.ByteSize.format((long) perSecond) + "/s";
        // slow items (TOM tiles of a large network take seconds each) as seconds per item, never "0 /s"
        if (perSecond > 0 && perSecond < 1) return String.format(Locale.ROOT, "%.1f s/%s", 1 / perSecond, unit.isEmpty() ? "item" : unit);
        return String.format(Locale.ROOT, "%.0f %s/s", perSecond, unit);
    }

    /** Prints the final line with the elapsed time. */
    @Override
    public synchronized void close() {
        if (silent) return;
        double secs = (System.nanoTime() - start) / 1e9;
        if (drawn) System.err.print("\r");
        System.err.printf(Locale.ROOT, "%s done in %.1fs (%s)%n", task, secs, rate(done / Math.max(secs, 1e-9), unit));
    }
}
