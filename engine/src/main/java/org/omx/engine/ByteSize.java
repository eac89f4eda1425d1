package org.omx.engine;

import java.util.Locale;

/** Byte counts for people: binary units with one decimal ("1.5 GiB"), used by plans, logs and reports. */
public final class ByteSize {

    private ByteSize() {
    }

    public static String format(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double x = bytes;
        int u = -1;
        while (x >= 1024 && u < units.length - 1) {
            x /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, units[u]);
    }
}
