package org.omx.engine.factorize;

import java.util.Locale;

/** Human-readable byte counts for plans and logs (binary units). */
final class Bytes {

    private Bytes() {
    }

    static String format(long b) {
        if (b < 1024) return b + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double x = b;
        int i = -1;
        while (x >= 1024 && i < u.length - 1) {
            x /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, u[i]);
    }
}
